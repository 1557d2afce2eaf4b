package dev.quarkchat.engine.postgres;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

import jakarta.inject.Singleton;

/**
 * Makes the store's connection pool as Quarkus would, with every {@code quarkus.datasource.*}
 * setting, but without a wait limit for a connection: {@link PostgresStore} limits each statement
 * itself ({@code chat.history.postgres.timeout}). The pool's own limit is a timer that outlives a
 * connection attempt that failed at once, and then reports itself as an uncaught error with a stack
 * trace: once a check, for as long as the database is unreachable.
 */
@Singleton
class StorePoolCreator implements PgPoolCreator {

    @Override
    public Pool create(Input input) {
        return PgDriver.INSTANCE.createPool(
                input.vertx(),
                input.pgConnectOptionsList(),
                input.poolOptions().setConnectionTimeout(0));
    }
}

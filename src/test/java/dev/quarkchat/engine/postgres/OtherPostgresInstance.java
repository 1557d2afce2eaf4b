package dev.quarkchat.engine.postgres;

import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.BanStore;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.testing.ChatClient;

import io.vertx.mutiny.sqlclient.Pool;

import jakarta.enterprise.inject.Instance;

/**
 * The ban store of an instance that starts after the application under test, on the same database:
 * a store of its own, which has read nothing yet.
 */
public final class OtherPostgresInstance {

    private final PostgresBanStore bans;

    public OtherPostgresInstance(
            Instance<Pool> pools, HistoryConfig history, ChatMetrics metrics, PeriodicTasks tasks) {
        PostgresStore store = new PostgresStore(pools, history, metrics, tasks);
        bans = new PostgresBanStore(store);
        bans.start();
        await().atMost(ChatClient.TIMEOUT).until(store::isUp);
    }

    public BanStore store() {
        return bans;
    }
}

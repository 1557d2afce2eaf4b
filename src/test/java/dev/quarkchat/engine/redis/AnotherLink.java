package dev.quarkchat.engine.redis;

import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.scheduling.PeriodicTasks;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;

/**
 * A Redis link of its own to the Redis of the application under test, made of the application's
 * parts, as a second instance has one; the caller starts and stops it.
 */
final class AnotherLink {

    private AnotherLink() {}

    static RedisLink create() {
        ArcContainer container = Arc.container();
        return new RedisLink(
                container.beanManager().createInstance().select(Redis.class),
                container.instance(Vertx.class).get(),
                container.instance(RedisClientOptions.class).get(),
                container.instance(PeriodicTasks.class).get(),
                container.instance(ChatMetrics.class).get(),
                container.instance(RedisBackplaneConfig.class).get());
    }
}

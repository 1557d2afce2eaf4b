package dev.quarkchat.engine.redis;

import io.vertx.mutiny.redis.client.Command;

/**
 * How the backplane publishes and subscribes. On a single Redis every channel is heard by whoever
 * subscribed to it; on a Redis Cluster a classic PUBLISH travels to every node of the cluster, so
 * the backplane uses sharded pub/sub there, which keeps a channel's messages on the shard that owns
 * its slot.
 */
enum PubSub {
    /** A single Redis, or one behind Sentinel. */
    CLASSIC("PUBLISH", "message"),
    /** A Redis Cluster (Redis 7 or later). */
    SHARDED("SPUBLISH", "smessage");

    private final String publish;
    private final String pushKind;

    PubSub(String publish, String pushKind) {
        this.publish = publish;
        this.pushKind = pushKind;
    }

    /** The command the scripts publish with: they read it from their {@code PUBLISH} local. */
    String publish() {
        return publish;
    }

    Command subscribe() {
        return this == CLASSIC ? Command.SUBSCRIBE : Command.SSUBSCRIBE;
    }

    Command unsubscribe() {
        return this == CLASSIC ? Command.UNSUBSCRIBE : Command.SUNSUBSCRIBE;
    }

    /** The first element of the push that carries a published payload. */
    String pushKind() {
        return pushKind;
    }
}

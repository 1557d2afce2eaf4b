package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.ReadPositions;
import dev.quarkchat.engine.StreamPosition;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Read positions kept in Redis with the backplane, one key per user and room in the room's slot, so
 * that every instance reads the same ones; each expires as its room does, a room TTL after it last
 * moved.
 */
public final class RedisReadPositions implements ReadPositions {

    private final RedisLink link;
    private final RedisBackplaneConfig config;

    public RedisReadPositions(RedisLink link, RedisBackplaneConfig config) {
        this.link = link;
        this.config = config;
    }

    @Override
    public CompletionStage<Optional<StreamPosition>> position(String room, String user) {
        return link.run(RedisScript.READ_POSITION, List.of(key(room, user)), List.of())
                .map(RedisBroker::streamPosition)
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Boolean> advance(String room, String user, StreamPosition position) {
        return link.run(
                        RedisScript.READ_ADVANCE,
                        List.of(key(room, user)),
                        List.of(
                                position.epoch(),
                                String.valueOf(position.seq()),
                                RedisBroker.seconds(config.roomTtl())))
                .map(reply -> reply.toInteger() == 1)
                .subscribeAsCompletionStage();
    }

    private String key(String room, String user) {
        return link.key(room, "read:" + user);
    }
}

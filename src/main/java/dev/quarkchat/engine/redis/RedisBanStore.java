package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.BanStore;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Bans kept in Redis with the backplane, so that every instance reads the same ones and they
 * outlive any instance (not a Redis that restarts without persistence). Two keys of their own: a
 * hash of every ban by {@code <room or *>\n<user>} (neither a room nor a user name can hold a line
 * break), and a sorted set of the bans that end, by their end, from which the scripts delete the
 * bans that ended.
 */
public final class RedisBanStore implements BanStore {

    /** The scope of a global ban in a field; no room name can be {@code *}. */
    private static final String EVERY_ROOM = "*";

    private final RedisLink link;

    public RedisBanStore(RedisLink link) {
        this.link = link;
    }

    @Override
    public CompletionStage<Void> put(Ban ban) {
        return link.run(
                        RedisScript.BAN_PUT,
                        keys(),
                        List.of(
                                field(ban.user(), ban.room()),
                                RedisModerationFormat.ban(ban).encode(),
                                ban.until()
                                        .map(until -> String.valueOf(until.toEpochMilli()))
                                        .orElse("")))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<List<Ban>> lift(String user, Optional<String> room, Instant now) {
        return link.run(
                        RedisScript.BAN_LIFT,
                        keys(),
                        List.of(String.valueOf(now.toEpochMilli()), user, room.orElse("")))
                .map(RedisBanStore::bans)
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<List<Ban>> active(Instant now) {
        return link.run(RedisScript.BAN_LIST, keys(), List.of(String.valueOf(now.toEpochMilli())))
                .map(RedisBanStore::bans)
                .subscribeAsCompletionStage();
    }

    private List<String> keys() {
        return List.of(link.sharedKey("bans"), link.sharedKey("ban-ends"));
    }

    private static String field(String user, Optional<String> room) {
        return room.orElse(EVERY_ROOM) + "\n" + user;
    }

    private static List<Ban> bans(Response values) {
        List<Ban> bans = new ArrayList<>(values.size());
        for (Response value : values) {
            bans.add(RedisModerationFormat.ban(new JsonObject(value.toString())));
        }
        return bans;
    }
}

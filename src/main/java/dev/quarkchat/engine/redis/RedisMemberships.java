package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.Memberships;

import io.vertx.mutiny.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Room lists kept in Redis with the backplane, two keys per user in a slot of the user's own: the
 * rooms by when they were joined, and the other user of each direct conversation. A list expires a
 * room TTL after it last changed, as rooms do.
 */
public final class RedisMemberships implements Memberships {

    private final RedisLink link;
    private final RedisBackplaneConfig config;
    private final int perUser;

    public RedisMemberships(RedisLink link, RedisBackplaneConfig config, int perUser) {
        this.link = link;
        this.config = config;
        this.perUser = perUser;
    }

    @Override
    public CompletionStage<Boolean> add(String user, Membership membership) {
        return link.run(
                        RedisScript.LISTED_ADD,
                        keys(user),
                        List.of(
                                membership.room(),
                                membership.peer().orElse(""),
                                String.valueOf(perUser),
                                RedisBroker.seconds(config.roomTtl())))
                .map(reply -> reply.toInteger() == 1)
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> remove(String user, String room) {
        return link.run(RedisScript.LISTED_REMOVE, keys(user), List.of(room))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<List<Membership>> list(String user) {
        return link.run(RedisScript.LISTED, keys(user), List.of())
                .map(RedisMemberships::memberships)
                .subscribeAsCompletionStage();
    }

    private static List<Membership> memberships(Response pairs) {
        List<Membership> listed = new ArrayList<>(pairs.size() / 2);
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String peer = pairs.get(i + 1).toString();
            listed.add(
                    new Membership(
                            pairs.get(i).toString(),
                            peer.isEmpty() ? Optional.empty() : Optional.of(peer)));
        }
        return listed;
    }

    private List<String> keys(String user) {
        return List.of(link.userKey(user, "rooms"), link.userKey(user, "peers"));
    }
}

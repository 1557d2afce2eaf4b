package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.UserConnections;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The connections of each user on every instance, in one Redis key per user in a slot of the user's
 * own. A connection counts for {@code chat.backplane.redis.presence-ttl} unless the instance that
 * holds it refreshes it, as presence entries do, so that a crashed instance's connections stop
 * counting within that time.
 */
public final class RedisUserConnections implements UserConnections {

    /** As for presence: one late refresh does not expire a connection. */
    private static final int REFRESHES_PER_TTL = 3;

    private final RedisLink link;
    private final RedisBackplaneConfig config;

    public RedisUserConnections(RedisLink link, RedisBackplaneConfig config) {
        this.link = link;
        this.config = config;
    }

    @Override
    public CompletionStage<Boolean> admit(String user, String connectionId, int limit) {
        return link.run(
                        RedisScript.CONNECTIONS_ADMIT,
                        key(user),
                        List.of(
                                connectionId,
                                RedisBroker.millis(config.presenceTtl()),
                                String.valueOf(limit)))
                .map(reply -> reply.toInteger() == 1)
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> release(String user, String connectionId) {
        return link.run(RedisScript.CONNECTIONS_RELEASE, key(user), List.of(connectionId))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> refresh(String user, Collection<String> connectionIds) {
        List<String> args = new ArrayList<>(connectionIds.size() + 1);
        args.add(RedisBroker.millis(config.presenceTtl()));
        args.addAll(connectionIds);
        return link.run(RedisScript.CONNECTIONS_REFRESH, key(user), args)
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public Optional<Duration> refreshInterval() {
        return Optional.of(config.presenceTtl().dividedBy(REFRESHES_PER_TTL));
    }

    private List<String> key(String user) {
        return List.of(link.userKey(user, "connections"));
    }
}

package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.Members;
import dev.quarkchat.engine.Presence;
import dev.quarkchat.engine.RoomEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Presence shared through Redis: one entry per user and instance in each room, which lives for
 * {@code chat.backplane.redis.presence-ttl} unless this instance refreshes it, so that the users of
 * a crashed instance disappear from every room. Joins and leaves are published on the event
 * channel, which the {@link RedisBroker} hands to the rooms.
 *
 * <p>A join's member list is taken in the same script that adds the entry and publishes the join
 * event, while the history the joining connection starts from is read by the broker's own script:
 * the two seams stay exact apart. Presence events after the join event happened after the list;
 * messages are told apart by their seq, since the connection waits for both answers and is given
 * only the messages after its history's seq.
 */
public final class RedisPresence implements Presence {

    /**
     * Entries are refreshed this many times per TTL, so that one late refresh does not expire them.
     */
    private static final int REFRESHES_PER_TTL = 3;

    /** Where the list of rooms lives, as if it were a room no room name can be. */
    private static final String ROOM_LIST = "~rooms";

    private final RedisLink link;
    private final RedisBackplaneConfig config;

    /**
     * Names this process's presence entries; a restarted instance is a new one, and its old entries
     * expire.
     */
    private final String instanceId = Long.toHexString(ThreadLocalRandom.current().nextLong());

    public RedisPresence(RedisLink link, RedisBackplaneConfig config) {
        this.link = link;
        this.config = config;
    }

    @Override
    public CompletionStage<Members> join(
            String room, String user, String connectionId, int maxNames) {
        return members(room, connectionId, user, maxNames);
    }

    @Override
    public CompletionStage<Members> members(String room, int maxNames) {
        return members(room, "", "", maxNames);
    }

    @Override
    public CompletionStage<Members> membersAfter(String room, String after, int maxNames) {
        return link.run(
                        RedisScript.MEMBER_PAGE,
                        keys(room),
                        List.of(link.roomChannel(room), room, after, String.valueOf(maxNames)))
                .map(
                        reply ->
                                new Members(
                                        RedisBroker.strings(reply.get(0)),
                                        reply.get(1).toInteger()))
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<List<String>> rooms(String after, int limit) {
        return link.run(
                        RedisScript.ROOMS_PAGE,
                        roomListKeys(),
                        List.of(after, String.valueOf(limit)))
                .map(RedisBroker::strings)
                .subscribeAsCompletionStage();
    }

    /**
     * Lists the rooms until one presence TTL from now: one refresh may come late, as for the
     * entries.
     */
    @Override
    public CompletionStage<Void> keepListed(Collection<String> rooms) {
        List<String> args = new ArrayList<>(rooms.size() + 1);
        args.add(RedisBroker.millis(config.presenceTtl()));
        args.addAll(rooms);
        return link.run(RedisScript.ROOMS_KEEP, roomListKeys(), args)
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> leave(String room, String user) {
        return link.run(
                        RedisScript.LEAVE,
                        keys(room),
                        List.of(link.roomChannel(room), room, instanceId, user))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> typing(String room, String user, Duration interval) {
        return link.run(
                        RedisScript.TYPING,
                        List.of(link.key(room, "typing:" + user)),
                        List.of(
                                link.roomChannel(room),
                                RedisEventFormat.typing(new RoomEvent.Typing(room, user)),
                                RedisBroker.millis(interval)))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Void> read(String room, String user, String connectionId, long seq) {
        return link.run(
                        RedisScript.PUBLISH,
                        List.of(link.key(room, "meta")),
                        List.of(
                                link.roomChannel(room),
                                RedisEventFormat.read(
                                        new RoomEvent.Read(room, connectionId, user, seq))))
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    /** Also expires other instances' stale entries. */
    @Override
    public CompletionStage<Void> refresh(String room, Collection<String> users) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                link.roomChannel(room),
                                room,
                                instanceId,
                                RedisBroker.millis(config.presenceTtl()),
                                RedisBroker.seconds(config.roomTtl())));
        args.addAll(users);
        return link.run(RedisScript.REFRESH, keys(room), args)
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    @Override
    public Optional<Duration> refreshInterval() {
        return Optional.of(config.presenceTtl().dividedBy(REFRESHES_PER_TTL));
    }

    private CompletionStage<Members> members(
            String room, String connectionId, String user, int maxNames) {
        List<String> args =
                List.of(
                        link.roomChannel(room),
                        room,
                        instanceId,
                        connectionId,
                        user,
                        RedisBroker.millis(config.presenceTtl()),
                        RedisBroker.seconds(config.roomTtl()),
                        String.valueOf(maxNames));
        return link.run(RedisScript.MEMBERS, keys(room), args)
                .map(
                        reply ->
                                new Members(
                                        RedisBroker.strings(reply.get(0)),
                                        reply.get(1).toInteger()))
                .subscribeAsCompletionStage();
    }

    /** In a slot of their own, apart from every room's: no room name holds a {@code ~}. */
    private List<String> roomListKeys() {
        return List.of(link.key(ROOM_LIST, "names"), link.key(ROOM_LIST, "alive"));
    }

    private List<String> keys(String room) {
        return List.of(link.key(room, "who"), link.key(room, "alive"), link.key(room, "users"));
    }
}

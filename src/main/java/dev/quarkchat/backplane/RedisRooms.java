package dev.quarkchat.backplane;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import dev.quarkchat.chat.IdempotencyConfig;
import dev.quarkchat.history.HistoryConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The rooms' shared state in Redis, as operations of this instance: append a message, take a snapshot
 * (joining or catching up), leave, refresh presence. Each is one script, run atomically by Redis; the
 * events they publish reach every instance through {@link RedisLink}.
 */
@ApplicationScoped
public class RedisRooms {

    /** Asks a snapshot for every member's name, not only the first ones. */
    public static final int ALL_NAMES = 0;

    private static final int EPOCH_RADIX = 36;

    private final RedisLink link;
    private final RedisBackplaneConfig config;
    private final HistoryConfig history;
    private final IdempotencyConfig idempotency;
    /** Names this process's presence entries; a restarted instance is a new one, and its old entries expire. */
    private final String instanceId;

    RedisRooms(RedisLink link, RedisBackplaneConfig config, HistoryConfig history, IdempotencyConfig idempotency) {
        this.link = link;
        this.config = config;
        this.history = history;
        this.idempotency = idempotency;
        // The top bit set makes it always INSTANCE_ID_LENGTH hex digits.
        this.instanceId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    }

    /**
     * Appends a message whose frame is {@code before + seq + after}; its seq comes back once Redis has it. With
     * a message id, unless the user already posted that id in the room (in its epoch, within
     * {@code chat.idempotency.window}): then nothing is posted and that post comes back.
     */
    public Uni<Appended> append(String room, String before, String after, Optional<SentId> sentId) {
        List<String> keys = new ArrayList<>(List.of(key(room, "meta"), key(room, "log")));
        sentId.ifPresent(sent -> {
            keys.add(key(room, "ids:" + sent.user()));
            keys.add(key(room, "id-ages:" + sent.user()));
        });
        List<String> args = List.of(link.channel(), room, seconds(config.roomTtl()), newEpoch(),
                String.valueOf(history.size()), before, after, sentId.map(SentId::id).orElse(""),
                sentId.map(SentId::textDigest).orElse(""), String.valueOf(sentId.map(SentId::tsMillis).orElse(0L)),
                millis(idempotency.window()), String.valueOf(idempotency.maxKeysPerUser()));
        return link.run(RedisScript.APPEND, keys, args).map(RedisRooms::appendedOf);
    }

    /**
     * The idempotency key of a {@code send}: who sent it, its id, and what the message is, to compare a resend.
     *
     * @param tsMillis the {@code ts} of the message, in milliseconds
     */
    public record SentId(String user, String id, String textDigest, long tsMillis) {
    }

    /**
     * Puts the user in the room for this instance and takes the snapshot the connection starts from; the
     * {@link BackplaneEvent.Joined} event with this connection's id marks where the live events take over.
     */
    public Uni<RoomSnapshot> join(String room, String user, String connectionId, Optional<Long> since,
            Optional<String> epoch, int maxNames) {
        return snapshot(room, connectionId, user, since, epoch, maxNames);
    }

    /** A snapshot for an instance catching up from {@code since} in {@code epoch}, with no presence change. */
    public Uni<RoomSnapshot> read(String room, long since, String epoch, int maxNames) {
        return snapshot(room, "", "", Optional.of(since), Optional.of(epoch), maxNames);
    }

    /** Takes this instance's presence entry of a user out of the room. */
    public Uni<Void> leave(String room, String user) {
        return link.run(RedisScript.LEAVE, presenceKeys(room), List.of(link.channel(), room, instanceId, user))
                .replaceWithVoid();
    }

    /** Keeps this instance's users present in the room for another presence TTL, and expires other instances' stale ones. */
    public Uni<Void> refresh(String room, Collection<String> users) {
        List<String> args = new ArrayList<>(List.of(link.channel(), room, instanceId, millis(config.presenceTtl()),
                seconds(config.roomTtl())));
        args.addAll(users);
        return link.run(RedisScript.REFRESH, presenceKeys(room), args).replaceWithVoid();
    }

    /** Whether Redis is reachable: sends, joins and presence work. */
    public boolean isUp() {
        return link.isUp();
    }

    private Uni<RoomSnapshot> snapshot(String room, String connectionId, String user, Optional<Long> since,
            Optional<String> epoch, int maxNames) {
        List<String> keys = List.of(key(room, "meta"), key(room, "log"), key(room, "who"), key(room, "alive"),
                key(room, "users"));
        List<String> args = List.of(link.channel(), room, instanceId, connectionId, user, millis(config.presenceTtl()),
                seconds(config.roomTtl()), newEpoch(), since.map(String::valueOf).orElse(""), epoch.orElse(""),
                String.valueOf(history.onJoin()), String.valueOf(maxNames));
        return link.run(RedisScript.SNAPSHOT, keys, args).map(RedisRooms::snapshotOf);
    }

    private static Appended appendedOf(Response reply) {
        if (reply.type() != ResponseType.MULTI) {
            return new Appended.Posted(reply.toLong());
        }
        return new Appended.AlreadyPosted(reply.get(0).toString(), reply.get(1).toLong(),
                Instant.ofEpochMilli(reply.get(2).toLong()), reply.get(3).toString());
    }

    private static RoomSnapshot snapshotOf(Response reply) {
        return new RoomSnapshot(reply.get(0).toString(), reply.get(1).toLong(), strings(reply.get(3)),
                reply.get(5).toInteger(), strings(reply.get(4)), reply.get(2).toInteger() == 1);
    }

    private static List<String> strings(Response array) {
        List<String> strings = new ArrayList<>(array.size());
        for (Response element : array) {
            strings.add(element.toString());
        }
        return strings;
    }

    private List<String> presenceKeys(String room) {
        return List.of(key(room, "who"), key(room, "alive"), key(room, "users"));
    }

    private String key(String room, String part) {
        return config.keyPrefix() + "{" + room + "}:" + part;
    }

    private static String newEpoch() {
        return Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), EPOCH_RADIX);
    }

    private static String seconds(Duration duration) {
        return String.valueOf(Math.max(1, duration.toSeconds()));
    }

    private static String millis(Duration duration) {
        return String.valueOf(duration.toMillis());
    }
}

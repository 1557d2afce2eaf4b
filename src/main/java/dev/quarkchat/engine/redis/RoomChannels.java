package dev.quarkchat.engine.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which room channels this instance holds on Redis, and when it lets one go: a room's channel is
 * subscribed when the room gets its subscriber here, and unsubscribed a grace period after the
 * subscriber left, unless one came back meanwhile (a lone member reconnecting costs no churn). It
 * does no I/O and reads no clock: its owner subscribes and unsubscribes as it says, and passes the
 * time in.
 */
final class RoomChannels {

    /** What the owner must do on Redis for a room that gets its subscriber. */
    enum Hold {
        /** Subscribe to the room's channel: this instance does not hold it. */
        SUBSCRIBE,
        /** Nothing: the channel is still held from an earlier subscriber, within its grace. */
        HELD
    }

    /** A grace that never ends: the room has its subscriber. */
    private static final long IN_USE = Long.MAX_VALUE;

    private final long graceNanos;

    /** Each held channel's room, and when its grace ends ({@link #IN_USE}: it has a subscriber). */
    private final Map<String, Long> releaseAt = new HashMap<>();

    RoomChannels(Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    /** The room got its subscriber on this instance. */
    Hold hold(String room) {
        Long previous = releaseAt.put(room, IN_USE);
        return previous == null ? Hold.SUBSCRIBE : Hold.HELD;
    }

    /** The room's subscriber left at {@code nowNanos}: its channel goes once the grace is over. */
    void release(String room, long nowNanos) {
        releaseAt.computeIfPresent(room, (name, at) -> nowNanos + graceNanos);
    }

    /**
     * The rooms whose grace is over at {@code nowNanos}, forgotten here: the owner unsubscribes
     * them.
     */
    List<String> expired(long nowNanos) {
        List<String> expired = new ArrayList<>();
        releaseAt
                .entrySet()
                .removeIf(
                        entry -> {
                            boolean over =
                                    entry.getValue() != IN_USE && entry.getValue() <= nowNanos;
                            if (over) {
                                expired.add(entry.getKey());
                            }
                            return over;
                        });
        return expired;
    }

    /** Whether the room's channel is held, with a subscriber or within its grace. */
    boolean holds(String room) {
        return releaseAt.containsKey(room);
    }

    /** Whether the room has its subscriber here: an event of any other room is one too many. */
    boolean inUse(String room) {
        Long at = releaseAt.get(room);
        return at != null && at == IN_USE;
    }

    /** Every held channel's room: what to subscribe again on a new connection. */
    Set<String> held() {
        return new LinkedHashSet<>(releaseAt.keySet());
    }
}

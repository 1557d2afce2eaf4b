package dev.quarkchat.moderation;

import dev.quarkchat.engine.Ban;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's copy of every ban, so that the handshake and each {@code join} check them without
 * a round trip to the store. A ban stops applying at its end by the clock, whenever the copy is
 * cleaned. The copy is changed by this instance's moderation and by the commands of the others, and
 * replaced by what the store holds every {@link Moderation#RELOAD_INTERVAL}, which also catches
 * anything the backplane lost.
 */
@ApplicationScoped
public class Bans {

    private final Map<Ban.Key, Ban> byKey = new ConcurrentHashMap<>();

    /** Counts changes, so that a reload read before a change does not undo it. */
    private long changes;

    /** Whether the user is banned from the whole chat at {@code now}. */
    public boolean bannedFromChat(String user, Instant now) {
        return applies(new Ban.Key(user, Optional.empty()), now);
    }

    /** Whether the user is banned from the room at {@code now}. */
    public boolean bannedFrom(String user, String room, Instant now) {
        return applies(new Ban.Key(user, Optional.of(room)), now);
    }

    private boolean applies(Ban.Key key, Instant now) {
        Ban ban = byKey.get(key);
        return ban != null && ban.appliesAt(now);
    }

    synchronized void put(Ban ban) {
        changes++;
        byKey.put(ban.key(), ban);
    }

    /** Drops the user's ban of the room, or every ban of the user with an empty room. */
    synchronized void lift(String user, Optional<String> room) {
        changes++;
        byKey.keySet()
                .removeIf(
                        key ->
                                key.user().equals(user)
                                        && (room.isEmpty() || key.room().equals(room)));
    }

    /** What {@link #replace} must be given: the count of changes before the store was read. */
    synchronized long changes() {
        return changes;
    }

    /**
     * Replaces the copy with what the store held, unless it changed since {@code changesBefore}
     * (then the next reload will do).
     *
     * @return the bans the copy did not hold, which may apply to open connections; empty when the
     *     copy was kept
     */
    synchronized List<Ban> replace(Collection<Ban> loaded, long changesBefore) {
        if (changes != changesBefore) {
            return List.of();
        }
        List<Ban> added = new ArrayList<>();
        Map<Ban.Key, Ban> next = new ConcurrentHashMap<>();
        for (Ban ban : loaded) {
            next.put(ban.key(), ban);
            if (!ban.equals(byKey.get(ban.key()))) {
                added.add(ban);
            }
        }
        byKey.keySet().retainAll(next.keySet());
        byKey.putAll(next);
        return added;
    }
}

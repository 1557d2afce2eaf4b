package dev.quarkchat.engine;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where bans are kept, so that they outlive a restart: in this instance's memory, in Redis with the
 * backplane, or in PostgreSQL with the durable store. Every instance also holds them all in memory
 * (they are few) to check connections without a round trip; this is what that copy is loaded from.
 * Operations fail with {@link EngineUnavailableException} while the store is unreachable.
 */
public interface BanStore {

    /** Starts whatever the store needs; before any other call. */
    default void start() {}

    /** Keeps the ban, replacing the user's ban of the same scope (global, or the same room). */
    CompletionStage<Void> put(Ban ban);

    /**
     * Removes the user's bans: the one of {@code room}, or with an empty room every one of the
     * user's, global and per room.
     *
     * @return the bans removed that still applied at {@code now}
     */
    CompletionStage<List<Ban>> lift(String user, Optional<String> room, Instant now);

    /** Every ban that applies at {@code now}; bans that ended by then are deleted on the way. */
    CompletionStage<List<Ban>> active(Instant now);
}

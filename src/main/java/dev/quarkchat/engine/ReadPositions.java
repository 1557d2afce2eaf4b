package dev.quarkchat.engine;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where each user stopped reading each room, so that another device starts there: in this
 * instance's memory, in Redis with the backplane, or in PostgreSQL with the durable store. A
 * position belongs to an epoch of the room; one of an epoch the room no longer has means nothing.
 * Operations fail with {@link EngineUnavailableException} while the store is unreachable.
 */
public interface ReadPositions {

    /** Where the user stopped reading the room; empty if nowhere is kept. */
    CompletionStage<Optional<StreamPosition>> position(String room, String user);

    /**
     * Moves the user's position in the room forward to {@code position}: a later seq of the same
     * epoch, or any seq of another epoch (the room started over).
     *
     * @return whether it moved; false when the position kept was already there or further on
     */
    CompletionStage<Boolean> advance(String room, String user, StreamPosition position);
}

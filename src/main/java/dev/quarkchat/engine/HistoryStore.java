package dev.quarkchat.engine;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Where a broker keeps a room's messages, by position, and reads them back for recovery. The broker
 * calls it for one room at a time, in seq order; nothing here may block.
 */
public interface HistoryStore {

    /** Keeps the message the broker gave {@code position}. */
    void keep(String room, StreamPosition position, String frame);

    /** The frame kept at that position, if it is still held. */
    Optional<String> held(String room, StreamPosition position);

    /** Writes {@code frame} over what is kept at that position, if it is still held. */
    void replace(String room, StreamPosition position, String frame);

    /**
     * Rewrites every frame held of that epoch of the room; {@code rewrite} answers most unchanged.
     */
    void rewriteAll(String room, String epoch, UnaryOperator<String> rewrite);

    /**
     * The messages after {@code since} if it is in {@code top}'s epoch and all of them are still
     * held, else the latest {@code latest} of that epoch; never any after {@code top}, which may
     * complete later than the call with a store that reads elsewhere.
     *
     * @param top where the room's sequence stood when the broker asked, its answer's position
     */
    CompletionStage<HistorySnapshot> read(
            String room, StreamPosition top, Optional<StreamPosition> since, int latest);

    /**
     * Up to {@code limit} messages of {@code top}'s epoch with a seq below {@code before}, oldest
     * first.
     *
     * @param top where the room's sequence stands
     */
    CompletionStage<HistoryPage> page(String room, StreamPosition top, long before, int limit);

    /**
     * How many frames of that epoch of the room, with a seq after {@code after} and up to {@code
     * top}, {@code counted} accepts, among those still held.
     */
    long count(String room, String epoch, long after, long top, Predicate<String> counted);

    /**
     * The broker no longer serves that epoch of the room: a store that keeps only live rooms drops
     * it.
     */
    void forget(String room, String epoch);
}

package dev.quarkchat.moderation;

/**
 * What became of a moderation request: done (with its result), refused for its arguments (nothing
 * happened), or not carried out because a store or the backplane is unreachable (try again).
 */
public sealed interface Outcome<T> {

    /** The request was carried out. */
    record Done<T>(T value) implements Outcome<T> {}

    /** The arguments were not acceptable: nothing happened. */
    record Refused<T>(Refusal refusal, String message) implements Outcome<T> {}

    /**
     * A store or the backplane could not be reached: the request may have been carried out on this
     * instance only; sent again, it does no harm.
     */
    record Unavailable<T>(String message) implements Outcome<T> {}

    /** Whether the request was carried out. */
    default boolean done() {
        return this instanceof Done<T>;
    }
}

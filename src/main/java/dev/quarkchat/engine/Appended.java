package dev.quarkchat.engine;

import java.time.Instant;

/**
 * What a broker did with a {@link Post}: published it, or found its id already posted and posted
 * nothing.
 */
public sealed interface Appended {

    /** The message got this seq in the room's epoch and was published. */
    record Posted(String epoch, long seq) implements Appended {}

    /**
     * The user had posted this id in the room, in its current epoch, within the idempotency window:
     * this is that post.
     *
     * @param text the digest of that post's text, to tell a resend from another text under the same
     *     id
     */
    record AlreadyPosted(String epoch, long seq, Instant ts, TextDigest text) implements Appended {}
}

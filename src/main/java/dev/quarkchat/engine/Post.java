package dev.quarkchat.engine;

import dev.quarkchat.protocol.ServerFrames;

import java.time.Instant;
import java.util.Optional;

/**
 * A message on its way to a room, before the broker gives it its {@code seq}. With an {@code id} it
 * is also an idempotency key: the {@code digest} of its text (present exactly when the id is) tells
 * a resend from another text under the same id.
 *
 * @param service whether a backend posted it through the server API rather than a member
 */
public record Post(
        String room,
        String from,
        String text,
        Instant ts,
        Optional<String> id,
        Optional<TextDigest> digest,
        boolean service) {

    /** A member's post of {@code text}; its digest is made here, only when it has an id. */
    public static Post of(String room, String from, String text, Instant ts, Optional<String> id) {
        return new Post(room, from, text, ts, id, id.map(unused -> TextDigest.of(text)), false);
    }

    /** A post of a backend, through the server API, with its idempotency key as id. */
    public static Post ofService(String room, String from, String text, Instant ts, String key) {
        return new Post(
                room, from, text, ts, Optional.of(key), Optional.of(TextDigest.of(text)), true);
    }

    /** The {@code message} frame members get once the broker gave it {@code seq}. */
    public String frame(long seq) {
        return ServerFrames.message(room, seq, from, text, ts, id, service);
    }

    /** The frame around its seq, for a broker that gives the seq somewhere else (in a script). */
    public ServerFrames.SeqSlot frameAroundSeq() {
        return ServerFrames.messageAroundSeq(room, from, text, ts, id, service);
    }
}

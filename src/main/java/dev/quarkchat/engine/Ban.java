package dev.quarkchat.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * A user banned from the whole chat ({@code room} empty) or from one room, until {@code until} or
 * until lifted (empty).
 *
 * @param user the banned user's name, in NFC, as connections carry it
 * @param room the room the ban applies to; empty for every room and the connection itself
 * @param until when the ban stops applying; empty until it is lifted
 * @param reason why, in the moderator's words; for the ban list and the audit log, never sent to
 *     the user
 * @param by who placed it: the caller of the moderation API
 * @param at when it was placed
 */
public record Ban(
        String user,
        Optional<String> room,
        Optional<Instant> until,
        String reason,
        String by,
        Instant at) {

    /** Whether the ban applies at {@code now}: it has no end, or its end is still to come. */
    public boolean appliesAt(Instant now) {
        return until.isEmpty() || until.get().isAfter(now);
    }

    /** Whether the ban is on the whole chat rather than one room. */
    public boolean global() {
        return room.isEmpty();
    }

    /** What identifies a ban: a user has at most one global ban and one per room. */
    public Key key() {
        return new Key(user, room);
    }

    /**
     * The user and the room (empty: global) a ban is about; a new ban replaces one of equal key.
     */
    public record Key(String user, Optional<String> room) {}
}

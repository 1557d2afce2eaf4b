package dev.quarkchat.room;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.StoredMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules of edits and deletions, over the message as the history holds it: a member edits and
 * deletes its own messages while they are younger than the edit window; a moderator deletes any;
 * nothing changes a deleted message.
 */
final class MessageAmendments {

    private MessageAmendments() {}

    /** {@code user} replaces the text of message {@code seq} with {@code text}, at {@code now}. */
    static Amendment edit(
            String room, long seq, String user, String text, Instant now, Duration window) {
        return new Amendment(
                room,
                seq,
                stored -> {
                    Optional<StoredMessage> message = message(stored, room, seq);
                    if (message.isEmpty()) {
                        return refused(Amendment.Refusal.UNKNOWN_MESSAGE);
                    }
                    Optional<Amendment.Refusal> refusal =
                            ownRefusal(message.get(), user, now, window);
                    if (refusal.isPresent()) {
                        return refused(refusal.get());
                    }
                    return new Amendment.Rewrite(
                            message.get().editedFrame(text, now),
                            ServerFrames.editedAroundAt(room, seq, text, now),
                            false);
                });
    }

    /**
     * Message {@code seq} is deleted by {@code user} (its author, within the window), or by a
     * moderator when {@code user} is empty.
     */
    static Amendment delete(
            String room, long seq, Optional<String> user, Instant now, Duration window) {
        return new Amendment(
                room,
                seq,
                stored -> {
                    Optional<StoredMessage> message = message(stored, room, seq);
                    if (message.isEmpty()) {
                        return refused(Amendment.Refusal.UNKNOWN_MESSAGE);
                    }
                    Optional<Amendment.Refusal> refusal =
                            message.get().deleted()
                                    ? Optional.of(Amendment.Refusal.DELETED)
                                    : user.flatMap(
                                            author ->
                                                    ownRefusal(message.get(), author, now, window));
                    if (refusal.isPresent()) {
                        return refused(refusal.get());
                    }
                    return new Amendment.Rewrite(
                            message.get().deletedFrame(),
                            ServerFrames.deletedAroundAt(room, seq),
                            true);
                });
    }

    /** Why {@code user} may not change the message: deleted, someone else's, or too old. */
    private static Optional<Amendment.Refusal> ownRefusal(
            StoredMessage message, String user, Instant now, Duration window) {
        if (message.deleted()) {
            return Optional.of(Amendment.Refusal.DELETED);
        }
        if (!message.from().equals(user)) {
            return Optional.of(Amendment.Refusal.NOT_YOURS);
        }
        if (now.isAfter(message.ts().plus(window))) {
            return Optional.of(Amendment.Refusal.WINDOW_CLOSED);
        }
        return Optional.empty();
    }

    /** The stored frame as the message of that room and seq; empty for an event or a stranger. */
    private static Optional<StoredMessage> message(String stored, String room, long seq) {
        return StoredMessage.read(stored)
                .filter(message -> message.room().equals(room) && message.seq() == seq);
    }

    private static Amendment.Verdict refused(Amendment.Refusal reason) {
        return new Amendment.Refused(reason);
    }
}

package dev.quarkchat.room;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.StoredMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of edits, deletions and reactions, over the message as the history holds it: a member
 * edits and deletes its own messages while they are younger than the edit window; a moderator
 * deletes any; any member reacts to any message, within the bounds below; nothing changes a deleted
 * message.
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
                            false,
                            Optional.empty());
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
                            true,
                            Optional.empty());
                });
    }

    /** The most emoji one message carries. */
    static final int MAX_EMOJI_PER_MESSAGE = 20;

    /** The most users listed under one emoji of a message. */
    static final int MAX_USERS_PER_EMOJI = 100;

    /** The most emoji one user puts on one message. */
    static final int MAX_EMOJI_PER_USER = 10;

    /**
     * {@code user} adds ({@code on}) or takes back the reaction {@code emoji} on message {@code
     * seq}.
     */
    static Amendment react(String room, long seq, String user, String emoji, boolean on) {
        return new Amendment(
                room,
                seq,
                stored -> {
                    Optional<StoredMessage> message = message(stored, room, seq);
                    if (message.isEmpty()) {
                        return refused(Amendment.Refusal.UNKNOWN_MESSAGE);
                    }
                    if (message.get().deleted()) {
                        return refused(Amendment.Refusal.DELETED);
                    }
                    Map<String, List<String>> reactions = message.get().reactions();
                    List<String> users = reactions.getOrDefault(emoji, List.of());
                    if (users.contains(user) == on) {
                        return refused(Amendment.Refusal.UNCHANGED);
                    }
                    if (on && tooMany(reactions, users, user)) {
                        return refused(Amendment.Refusal.TOO_MANY_REACTIONS);
                    }
                    return new Amendment.Rewrite(
                            message.get().reactedFrame(emoji, user, on),
                            ServerFrames.reactionAroundAt(room, seq, emoji, user, on),
                            false,
                            Optional.of(new Amendment.Reaction(user, emoji, on)));
                });
    }

    /**
     * Whether one more reaction of {@code user}, under an emoji with {@code users}, is past a
     * bound.
     */
    private static boolean tooMany(
            Map<String, List<String>> reactions, List<String> users, String user) {
        long usersOwn = reactions.values().stream().filter(list -> list.contains(user)).count();
        return (users.isEmpty() && reactions.size() >= MAX_EMOJI_PER_MESSAGE)
                || users.size() >= MAX_USERS_PER_EMOJI
                || usersOwn >= MAX_EMOJI_PER_USER;
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

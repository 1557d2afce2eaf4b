package dev.quarkchat.engine;

import dev.quarkchat.protocol.ServerFrames;

import java.util.Optional;
import java.util.function.Function;

/**
 * An edit, a deletion or a reaction of the message {@code seq} of a room, on its way to the broker.
 * What it does depends on the message as the history holds it when the broker gets there, so the
 * broker asks {@code decide} with that frame, in the step that rewrites it: a racing edit or
 * deletion of the same message is either wholly before or wholly after.
 *
 * @param decide given the stored {@code message} frame (or whatever else holds that position),
 *     refuses or says how to rewrite it; pure, and may be asked again if the frame changed
 *     meanwhile
 */
public record Amendment(String room, long seq, Function<String, Verdict> decide) {

    /** What an amendment does to the stored message. */
    public sealed interface Verdict {}

    /** Nothing is written, for this reason. */
    public record Refused(Refusal reason) implements Verdict {}

    /**
     * The stored message becomes {@code message}, and the event {@code event} takes the room's next
     * position ({@code at}) in the history and the stream, like a message.
     *
     * @param erasesEdits whether earlier {@code edited} events of the message must lose their text
     *     too (a deletion), becoming {@code deleted} events at their positions
     * @param reaction the reaction the event tells of, for a store that keeps it apart from the
     *     message's text
     */
    public record Rewrite(
            String message,
            ServerFrames.SeqSlot event,
            boolean erasesEdits,
            Optional<Reaction> reaction)
            implements Verdict {}

    /** A user added ({@code on}) or took back an emoji reaction. */
    public record Reaction(String user, String emoji, boolean on) {}

    /** Why an amendment was refused. */
    public enum Refusal {
        /** The history holds no message at that seq. */
        UNKNOWN_MESSAGE,
        /** Another user posted it. */
        NOT_YOURS,
        /** It is older than the edit window. */
        WINDOW_CLOSED,
        /** It has been deleted. */
        DELETED,
        /** The reaction is already there, or was never there to take back: nothing to do. */
        UNCHANGED,
        /** The message, or the user on it, has as many reactions as it may. */
        TOO_MANY_REACTIONS
    }

    /** What the broker did. */
    public sealed interface Outcome {}

    /** The message was rewritten and the event published at position {@code at}. */
    public record Applied(long at) implements Outcome {}

    /** Nothing changed. */
    public record NotApplied(Refusal reason) implements Outcome {}
}

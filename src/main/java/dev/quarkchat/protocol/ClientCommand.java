package dev.quarkchat.protocol;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A validated frame from a client. Every command may carry an {@code id} chosen by the client,
 * which the server echoes ({@code id} on replies and messages, {@code ref} on errors) so the client
 * can match them.
 */
public sealed interface ClientCommand {

    Optional<String> id();

    /**
     * {@code {"type":"join","room":"general"}}: become a member of a room; with {@code since} (and
     * the {@code epoch} it belongs to), get every message after that seq first.
     */
    record Join(String room, Optional<Recovery> recovery, Optional<String> id)
            implements ClientCommand {}

    /** Where a returning client stopped: the last seq it saw, in which epoch of the room. */
    record Recovery(long since, Optional<String> epoch) {}

    /** {@code {"type":"leave","room":"general"}}: stop being a member of a room. */
    record Leave(String room, Optional<String> id) implements ClientCommand {}

    /** {@code {"type":"send","room":"general","text":"hi"}}: post a message to a joined room. */
    record Send(String room, String text, Optional<String> id) implements ClientCommand {}

    /**
     * {@code {"type":"typing","room":"general"}}: the user is typing in a joined room; the other
     * members hear of it, throttled, and nothing is stored.
     */
    record Typing(String room, Optional<String> id) implements ClientCommand {}

    /**
     * {@code {"type":"read","room":"general","seq":120}}: the user has read a joined room up to
     * that seq; its read position only moves forward, and its other connections are told.
     */
    record Read(String room, long seq, Optional<String> id) implements ClientCommand {}

    /**
     * {@code {"type":"dm","user":"bob"}}: open (or reopen) the direct conversation with another
     * user, and join its room; {@code since} and {@code epoch} as for a join.
     */
    record Dm(String user, Optional<Recovery> recovery, Optional<String> id)
            implements ClientCommand {}

    /**
     * {@code {"type":"react","room":"general","seq":12,"emoji":"👍","on":true}}: add (or with
     * {@code on} false, take back) an emoji reaction on a message of a joined room.
     */
    record React(String room, long seq, String emoji, boolean on, Optional<String> id)
            implements ClientCommand {}

    /** {@code {"type":"rooms"}}: the user's room list, with unread counts and latest messages. */
    record Rooms(Optional<String> id) implements ClientCommand {}

    /**
     * {@code {"type":"edit","room":"general","seq":12,"text":"hi!"}}: replace the text of one's own
     * message.
     */
    record Edit(String room, long seq, String text, Optional<String> id) implements ClientCommand {}

    /**
     * {@code {"type":"delete","room":"general","seq":12}}: delete one's own message, or any with
     * the admin group.
     */
    record Delete(String room, long seq, Optional<String> id) implements ClientCommand {}

    /**
     * {@code {"type":"history","room":"general","before":120,"limit":50}}: up to {@code limit}
     * messages of a joined room with a seq below {@code before} (the latest ones without it), for
     * scrolling back.
     */
    record History(String room, OptionalLong before, int limit, Optional<String> id)
            implements ClientCommand {}

    /**
     * {@code {"type":"refresh","token":"<jwt>"}}: from now on the connection lives by this token
     * (same user): its {@code exp} and its private-room grants.
     */
    record Refresh(String token, Optional<String> id) implements ClientCommand {}
}

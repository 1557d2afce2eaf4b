package dev.quarkchat.chat;

import java.util.List;
import java.util.Optional;

import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.session.ChatSession;

/**
 * The rooms this instance's connections are in. With {@code chat.backplane=none} they live in this process
 * ({@link LocalRoomRegistry}); with {@code redis} their sequence, history and presence are shared by every
 * instance ({@link SharedRoomRegistry}). {@link RoomRegistries} picks one at startup.
 * <p>
 * A session's room set is changed only from that connection's own callbacks, which websockets-next runs one
 * at a time, so it agrees with the rooms' member lists without a lock of its own.
 */
public interface RoomRegistry {

    /** Puts the session in the room and answers it with {@code joined} and the messages it should see. */
    void join(ChatSession session, String room, Optional<ClientCommand.Recovery> recovery, Optional<String> id);

    /** @return false if the session is not a member of that room */
    boolean leave(ChatSession session, String room, Optional<String> id);

    /**
     * Takes the session out of a room on the server's initiative: it gets a {@code left} with the reason, the
     * others a presence {@code leave} as for any leave. Nothing happens if it is not a member.
     */
    void remove(ChatSession session, String room, ServerFrames.LeaveReason reason);

    /** Takes a closed connection out of every room it was in, telling the others. */
    void leaveAll(ChatSession session);

    /**
     * Gives the message the room's next {@code seq} and delivers it to every member, the sender included.
     *
     * @param receivedAt {@link System#nanoTime()} when the frame arrived, for the broadcast timer
     * @return false if the session is not a member of that room
     */
    boolean post(ChatSession session, String room, String text, Optional<String> id, long receivedAt);

    /** How many rooms have at least one member on this instance. */
    int size();

    /** The user names in a room, in the order they arrived; empty if the room has no members. */
    List<String> memberNames(String room);

    /** How many of this instance's connections are members of a room. */
    int connectionCount(String room);

    /** Whether joins and sends can be served now (false while the backplane is unreachable). */
    boolean available();
}

package dev.quarkchat.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.quarkchat.history.HistoryConfig;
import dev.quarkchat.protocol.ClientCommand;

/**
 * The rooms that have members, by name. A room exists while it has at least one member; the registry holds
 * no trace of empty rooms, so memory follows the live rooms only.
 * <p>
 * A session's room set is changed only from that connection's own callbacks, which websockets-next runs one
 * at a time, so it agrees with the rooms' member lists without a lock of its own.
 */
@ApplicationScoped
public class RoomRegistry {

    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final FrameSender sender;
    private final HistoryConfig history;

    RoomRegistry(FrameSender sender, HistoryConfig history) {
        this.sender = sender;
        this.history = history;
    }

    void join(ChatSession session, String roomName, Optional<ClientCommand.Recovery> recovery, Optional<String> id) {
        while (true) {
            Room room = rooms.computeIfAbsent(roomName, name -> new Room(name, sender, history));
            if (room.join(session, recovery, id)) {
                session.rooms().add(roomName);
                return;
            }
            // The last member left between the lookup and the join: drop the retired room and make a new one.
            rooms.remove(roomName, room);
        }
    }

    /** @return false if the session is not a member of that room */
    boolean leave(ChatSession session, String roomName, Optional<String> id) {
        if (!session.rooms().remove(roomName)) {
            return false;
        }
        leaveRoom(session, roomName, id, true);
        return true;
    }

    /** Takes a closed connection out of every room it was in, telling the others. */
    void leaveAll(ChatSession session) {
        for (String roomName : List.copyOf(session.rooms())) {
            session.rooms().remove(roomName);
            leaveRoom(session, roomName, Optional.empty(), false);
        }
    }

    /** @return how many connections the message was queued for, or empty if the session is not a member */
    OptionalInt post(ChatSession session, String roomName, String text, Optional<String> id) {
        if (!session.rooms().contains(roomName)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(rooms.get(roomName).post(session, text, id, Instant.now()));
    }

    /** How many rooms have at least one member. */
    public int size() {
        return rooms.size();
    }

    /** The user names in a room, in the order they arrived; empty if the room has no members. */
    public List<String> memberNames(String roomName) {
        Room room = rooms.get(roomName);
        return room == null ? List.of() : room.memberNames();
    }

    /** How many connections are members of a room; zero if the room has no members. */
    public int connectionCount(String roomName) {
        Room room = rooms.get(roomName);
        return room == null ? 0 : room.connectionCount();
    }

    private void leaveRoom(ChatSession session, String roomName, Optional<String> id, boolean reply) {
        Room room = rooms.get(roomName);
        if (room.leave(session, id, reply)) {
            rooms.remove(roomName, room);
        }
    }
}

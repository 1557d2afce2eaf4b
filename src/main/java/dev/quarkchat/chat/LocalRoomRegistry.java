package dev.quarkchat.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.quarkchat.history.HistoryConfig;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.FrameSender;

/**
 * The rooms of a single instance ({@code chat.backplane=none}), by name. A room exists while it has at least
 * one member; the registry holds no trace of empty rooms, so memory follows the live rooms only, and a room
 * that comes back starts a new epoch.
 */
final class LocalRoomRegistry implements RoomRegistry {

    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final FrameSender sender;
    private final HistoryConfig history;
    private final ChatMetrics metrics;
    private final MemberListing listing;
    private final IdempotencyKeys sentIds;

    LocalRoomRegistry(FrameSender sender, HistoryConfig history, ChatMetrics metrics, MemberListing listing,
            IdempotencyKeys sentIds) {
        this.sender = sender;
        this.history = history;
        this.metrics = metrics;
        this.listing = listing;
        this.sentIds = sentIds;
    }

    @Override
    public void join(ChatSession session, String roomName, Optional<ClientCommand.Recovery> recovery, Optional<String> id) {
        while (true) {
            Room room = rooms.computeIfAbsent(roomName,
                    name -> new Room(name, sender, history, listing, sentIds, metrics));
            if (room.join(session, recovery, id)) {
                session.rooms().add(roomName);
                return;
            }
            // The last member left between the lookup and the join: drop the retired room and make a new one.
            rooms.remove(roomName, room);
        }
    }

    @Override
    public boolean leave(ChatSession session, String roomName, Optional<String> id) {
        if (!session.rooms().remove(roomName)) {
            return false;
        }
        leaveRoom(session, roomName, id, true);
        return true;
    }

    @Override
    public void remove(ChatSession session, String roomName, ServerFrames.LeaveReason reason) {
        if (session.rooms().remove(roomName)) {
            leaveRoom(session, roomName, Optional.empty(), false);
            // Out of the room, nothing more of it is queued for the session: this comes after all of it.
            sender.send(session, ServerFrames.removed(roomName, reason));
        }
    }

    @Override
    public void leaveAll(ChatSession session) {
        for (String roomName : List.copyOf(session.rooms())) {
            session.rooms().remove(roomName);
            leaveRoom(session, roomName, Optional.empty(), false);
        }
    }

    @Override
    public boolean post(ChatSession session, String roomName, String text, Optional<String> id, long receivedAt) {
        if (!session.rooms().contains(roomName)) {
            return false;
        }
        Optional<TextDigest> digest = id.map(unused -> TextDigest.of(text));
        OptionalInt deliveries = rooms.get(roomName).post(session, text, id, digest, Instant.now());
        if (deliveries.isPresent()) {
            metrics.messagesDelivered(deliveries.getAsInt());
            metrics.broadcastFinished(receivedAt);
        }
        return true;
    }

    @Override
    public int size() {
        return rooms.size();
    }

    @Override
    public List<String> memberNames(String roomName) {
        Room room = rooms.get(roomName);
        return room == null ? List.of() : room.memberNames();
    }

    @Override
    public int connectionCount(String roomName) {
        Room room = rooms.get(roomName);
        return room == null ? 0 : room.connectionCount();
    }

    @Override
    public boolean available() {
        return true;
    }

    private void leaveRoom(ChatSession session, String roomName, Optional<String> id, boolean reply) {
        Room room = rooms.get(roomName);
        if (room.leave(session, id, reply)) {
            rooms.remove(roomName, room);
        }
    }
}

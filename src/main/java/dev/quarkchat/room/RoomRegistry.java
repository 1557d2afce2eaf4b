package dev.quarkchat.room;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.Amendment;
import dev.quarkchat.engine.Appended;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.Memberships;
import dev.quarkchat.engine.Post;
import dev.quarkchat.engine.Presence;
import dev.quarkchat.engine.ReadPositions;
import dev.quarkchat.metrics.AuditLog;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.metrics.ModerationAction;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.scheduling.Waves;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.FrameSender;
import dev.quarkchat.session.UserNotices;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rooms this instance's connections are in, by name, over whichever engines {@code
 * chat.backplane} chose ({@link RoomEngines}). A room is here while it has at least one connection
 * of this instance; the registry holds no trace of the others, so memory follows the live rooms
 * only.
 *
 * <p>A session's room set is changed only from that connection's own callbacks, which
 * websockets-next runs one at a time, so it agrees with the rooms' member lists without a lock of
 * its own.
 */
@ApplicationScoped
public class RoomRegistry {

    private static final Logger LOG = Logger.getLogger(RoomRegistry.class);

    /** Rooms kept in the list in one step: bounds the size of one call to the engine. */
    private static final int ROOMS_LISTED_AT_ONCE = 500;

    private final ConcurrentMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Room.Collaborators parts;
    private final PeriodicTasks tasks;
    private final Duration editWindow;
    private final Memberships memberships;

    RoomRegistry(
            Broker broker,
            Presence presence,
            ReadPositions readPositions,
            Memberships memberships,
            UserNotices notices,
            FrameSender sender,
            ChatMetrics metrics,
            ChatConfig config,
            HistoryConfig history,
            PeriodicTasks tasks) {
        this.parts =
                new Room.Collaborators(
                        broker,
                        presence,
                        sender,
                        metrics,
                        MemberListing.of(config),
                        readPositions,
                        notices,
                        history.onJoin(),
                        // Half the send queue: live messages still fit beside a page.
                        config.maxPendingBytes() / 2,
                        config.typingInterval());
        this.tasks = tasks;
        this.editWindow = config.editWindow();
        this.memberships = memberships;
    }

    /**
     * Connects the engines before the instance reports ready, and starts their periodic work if
     * they need any.
     */
    void start(@Observes StartupEvent event) {
        parts.metrics().observe(LiveGauge.ROOMS_ACTIVE, this::size);
        parts.broker().start(this::streamResumed);
        parts.broker()
                .catchUpInterval()
                .ifPresent(every -> tasks.every(every, "room catch-up", this::catchUpDue));
        parts.presence()
                .refreshInterval()
                .ifPresent(every -> tasks.every(every, "presence refresh", this::refreshPresence));
    }

    /**
     * Puts the session in the room and answers it with {@code joined} and the messages it should
     * see; the room goes to the top of the user's list.
     *
     * @return whether the room came into the user's list now
     */
    public CompletionStage<Boolean> join(
            ChatSession session,
            Memberships.Membership membership,
            Optional<ClientCommand.Recovery> recovery,
            Optional<String> id) {
        enter(session, membership.room(), recovery, id);
        CompletionStage<Boolean> listed = memberships.add(session.user(), membership);
        listed.whenComplete(
                (added, failure) -> {
                    if (failure != null) {
                        LOG.debugf(
                                "%s not put in the room list of %s: %s",
                                membership.room(), LogSafe.escaped(session.user()), failure);
                    }
                });
        return listed;
    }

    private void enter(
            ChatSession session,
            String roomName,
            Optional<ClientCommand.Recovery> recovery,
            Optional<String> id) {
        while (true) {
            boolean[] made = new boolean[1];
            Room room =
                    rooms.computeIfAbsent(
                            roomName,
                            name -> {
                                made[0] = true;
                                return new Room(name, parts, this::retired);
                            });
            if (made[0]) {
                keepListed(List.of(roomName));
            }
            if (room.join(session, recovery, id)) {
                return;
            }
            // The last connection left between the lookup and the join: drop the retired room, make
            // a new one.
            rooms.remove(roomName, room);
        }
    }

    /**
     * Takes the session out of the room, answering it with {@code left}, and the room from the
     * user's list; false if it was not a member.
     */
    public boolean leave(ChatSession session, String roomName, Optional<String> id) {
        if (!session.rooms().remove(roomName)) {
            return false;
        }
        leaveRoom(session, roomName);
        unlist(session.user(), roomName);
        parts.sender().send(session, ServerFrames.left(roomName, id));
        return true;
    }

    /**
     * Takes a session out of a room on the server's initiative: it gets a {@code left} with the
     * reason, the others a presence {@code leave} as for any leave, and the room goes from the
     * user's list. Nothing happens if it is not a member.
     */
    public void remove(ChatSession session, String roomName, ServerFrames.LeaveReason reason) {
        if (session.rooms().remove(roomName)) {
            leaveRoom(session, roomName);
            unlist(session.user(), roomName);
            // Out of the room, nothing more of it is queued for the session: this comes after all
            // of it.
            parts.sender().send(session, ServerFrames.removed(roomName, reason));
        }
    }

    /** Takes a closed connection out of every room it was in, telling the others. */
    public void leaveAll(ChatSession session) {
        for (String roomName : List.copyOf(session.rooms())) {
            session.rooms().remove(roomName);
            leaveRoom(session, roomName);
        }
    }

    /**
     * Gives the message the room's next {@code seq} and delivers it to every member, the sender
     * included.
     *
     * @param receivedAt {@link System#nanoTime()} when the frame arrived, for the broadcast timer
     * @return false if the session is not a member of that room
     */
    public boolean post(
            ChatSession session,
            String roomName,
            String text,
            Optional<String> id,
            long receivedAt) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        room.post(session, text, id, receivedAt);
        return true;
    }

    /**
     * Tells the room's other members that the user is typing, at most once per {@code
     * chat.typing-interval}.
     *
     * @return false if the session is not a member of that room
     */
    public boolean typing(ChatSession session, String roomName) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        room.typing(session);
        return true;
    }

    /**
     * Moves the user's read position in the room forward to {@code seq}, and tells its other
     * connections in the room.
     *
     * @return false if the session is not a member of that room
     */
    public boolean read(ChatSession session, String roomName, long seq, Optional<String> id) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        room.read(session, seq, id);
        return true;
    }

    /**
     * Replaces the text of one of the user's own messages, younger than {@code chat.edit-window}:
     * every member gets {@code edited}; a refusal is answered with an error.
     *
     * @return false if the session is not a member of that room
     */
    public boolean edit(
            ChatSession session, String roomName, long seq, String text, Optional<String> id) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        room.amend(
                session,
                MessageAmendments.edit(
                        roomName, seq, session.user(), text, Instant.now(), editWindow),
                id,
                () -> {});
        return true;
    }

    /**
     * Adds ({@code on}) or takes back the user's emoji reaction on a message: every member gets
     * {@code reaction}; one that is already as asked changes nothing and is not told.
     *
     * @return false if the session is not a member of that room
     */
    public boolean react(
            ChatSession session,
            String roomName,
            long seq,
            String emoji,
            boolean on,
            Optional<String> id) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        room.amend(
                session,
                MessageAmendments.react(roomName, seq, session.user(), emoji, on),
                id,
                () -> {});
        return true;
    }

    /**
     * Deletes one of the user's own messages, younger than {@code chat.edit-window}, or any message
     * for a connection whose token carries the admin group: every member gets {@code deleted}.
     *
     * @return false if the session is not a member of that room
     */
    public boolean delete(ChatSession session, String roomName, long seq, Optional<String> id) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        Instant now = Instant.now();
        if (!session.credentials().admin()) {
            room.amend(
                    session,
                    MessageAmendments.delete(
                            roomName, seq, Optional.of(session.user()), now, editWindow),
                    id,
                    () -> {});
            return true;
        }
        // A moderator's deletion, audited and counted like those through the server API.
        room.amend(
                session,
                MessageAmendments.delete(roomName, seq, Optional.empty(), now, editWindow),
                id,
                () -> {
                    parts.metrics().moderated(ModerationAction.DELETE);
                    AuditLog.recordDeletion(AuditLog.Result.DONE, session.user(), roomName, seq);
                });
        return true;
    }

    /**
     * Deletes any message of a room, on behalf of a moderator, whether or not a connection of this
     * instance is in it: its members, on every instance, get {@code deleted}, and the text is gone
     * from the history.
     */
    public CompletionStage<ModeratorDeletion> deleteAsModerator(String roomName, long seq) {
        return parts.broker()
                .amend(
                        MessageAmendments.delete(
                                roomName, seq, Optional.empty(), Instant.now(), editWindow))
                .handle(
                        (outcome, failure) -> {
                            if (failure != null) {
                                return ModeratorDeletion.UNAVAILABLE;
                            }
                            if (outcome instanceof Amendment.NotApplied refused) {
                                return refused.reason() == Amendment.Refusal.DELETED
                                        ? ModeratorDeletion.ALREADY_DELETED
                                        : ModeratorDeletion.UNKNOWN;
                            }
                            return ModeratorDeletion.DELETED;
                        });
    }

    /**
     * Publishes a backend's message into the room, by the path of a member's {@code send}: it gets
     * the room's next {@code seq} and reaches every member, on every instance, marked as a service
     * message. The key is the send's {@code id}: a repeat posts nothing and is answered with the
     * first post, whose text the caller compares.
     *
     * @throws dev.quarkchat.engine.UnknownRoomException (in the stage) with an engine that keeps a
     *     room only while it has members, for a room with none
     */
    public CompletionStage<Appended> publish(
            String roomName, String from, String text, String idempotencyKey) {
        return parts.broker()
                .publish(Post.ofService(roomName, from, text, Instant.now(), idempotencyKey));
    }

    /**
     * Answers the session with a page of the room's history: up to {@code limit} messages with a
     * seq below {@code before}, or the latest ones without it.
     *
     * @return false if the session is not a member of that room
     */
    public boolean history(
            ChatSession session,
            String roomName,
            OptionalLong before,
            int limit,
            Optional<String> id) {
        Room room = joinedRoom(session, roomName);
        if (room == null) {
            return false;
        }
        room.history(session, before.orElse(Long.MAX_VALUE), limit, id);
        return true;
    }

    /** How many rooms have at least one connection of this instance. */
    public int size() {
        return rooms.size();
    }

    /**
     * The user names in a room, on any instance; empty if no connection of this instance is in it.
     */
    public List<String> memberNames(String roomName) {
        Room room = rooms.get(roomName);
        return room == null ? List.of() : room.memberNames();
    }

    /** How many of this instance's connections are members of a room. */
    public int connectionCount(String roomName) {
        Room room = rooms.get(roomName);
        return room == null ? 0 : room.connectionCount();
    }

    /** Whether joins and sends can be served now (false while a shared engine is unreachable). */
    public boolean available() {
        return parts.broker().available();
    }

    /** The Redis shards this instance cannot reach now, by name; their rooms are unavailable. */
    public List<String> unreachableShards() {
        return parts.broker().unreachableShards();
    }

    /** The room, if the session is a member of it (or joining it); null otherwise. */
    private Room joinedRoom(ChatSession session, String roomName) {
        return session.rooms().contains(roomName) ? rooms.get(roomName) : null;
    }

    private void leaveRoom(ChatSession session, String roomName) {
        Room room = rooms.get(roomName);
        if (room != null) {
            room.leave(session);
        }
    }

    /** A room left for good goes from the user's list. */
    private void unlist(String user, String roomName) {
        memberships
                .remove(user, roomName)
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                LOG.debugf(
                                        "%s left in the room list of %s: %s",
                                        roomName, LogSafe.escaped(user), failure);
                            }
                        });
    }

    /** A room left out of the list for a while is listed again at the next refresh. */
    private void keepListed(List<String> names) {
        parts.presence()
                .keepListed(names)
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                LOG.debugf("Listing %d rooms failed: %s", names.size(), failure);
                            }
                        });
    }

    private void retired(Room room) {
        rooms.remove(room.name(), room);
    }

    /**
     * The stream is back after a break: put back presence the engine may have lost, and let every
     * room catch up.
     */
    private void streamResumed() {
        refreshPresence();
        rooms.values().forEach(Room::catchUp);
    }

    private void catchUpDue() {
        if (available()) {
            rooms.values().stream().filter(Room::needsCatchUp).forEach(Room::catchUp);
        }
    }

    private void refreshPresence() {
        if (!available()) {
            return;
        }
        List<String> names = List.copyOf(rooms.keySet());
        for (int from = 0; from < names.size(); from += ROOMS_LISTED_AT_ONCE) {
            keepListed(names.subList(from, Math.min(names.size(), from + ROOMS_LISTED_AT_ONCE)));
        }
        Waves.inWaves(
                List.copyOf(rooms.values()),
                Waves.REQUESTS_PER_WAVE,
                room -> {
                    List<String> users = room.localUsers();
                    if (users.isEmpty()) {
                        return CompletableFuture.completedFuture(null);
                    }
                    return parts.presence()
                            .refresh(room.name(), users)
                            .whenComplete(
                                    (done, failure) -> {
                                        if (failure != null) {
                                            LOG.debugf(
                                                    "Presence refresh of %s failed: %s",
                                                    LogSafe.escaped(room.name()), failure);
                                        }
                                    });
                });
    }
}

package dev.quarkchat.chat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jboss.logging.Logger;

import dev.quarkchat.backplane.Appended;
import dev.quarkchat.backplane.BackplaneEvent;
import dev.quarkchat.backplane.RedisBackplaneConfig;
import dev.quarkchat.backplane.RedisLink;
import dev.quarkchat.backplane.RedisRooms;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.FrameSender;
import io.vertx.core.Vertx;

/**
 * The rooms of this instance when several instances share them through Redis ({@code chat.backplane=redis}).
 * A send is appended in Redis, which gives it the room's next seq and publishes it to every instance; each
 * instance delivers it to its own members when it comes back. Joins take their snapshot from Redis, so
 * recovery works on any instance. While Redis is unreachable, sends and joins are answered
 * {@code unavailable} and local connections stay open; once it is back, every room catches up.
 */
final class SharedRoomRegistry implements RoomRegistry {

    private static final Logger LOG = Logger.getLogger(SharedRoomRegistry.class);
    /** Presence entries are refreshed this many times per TTL, so that one late refresh does not expire them. */
    private static final int REFRESHES_PER_TTL = 3;

    private final ConcurrentMap<String, SharedRoom> rooms = new ConcurrentHashMap<>();
    private final RedisRooms store;
    private final FrameSender sender;
    private final ChatMetrics metrics;
    private final MemberListing listing;
    private final long refreshIntervalNanos;
    private volatile long lastRefreshNanos = System.nanoTime();

    SharedRoomRegistry(RedisRooms store, RedisLink link, FrameSender sender, ChatMetrics metrics, Vertx vertx,
            RedisBackplaneConfig config, MemberListing listing) {
        this.store = store;
        this.listing = listing;
        this.sender = sender;
        this.metrics = metrics;
        this.refreshIntervalNanos = config.presenceTtl().toNanos() / REFRESHES_PER_TTL;
        link.start(this::dispatch, this::linkRestored);
        vertx.setPeriodic(config.checkInterval().toMillis(), timer -> check());
    }

    @Override
    public void join(ChatSession session, String roomName, Optional<ClientCommand.Recovery> recovery, Optional<String> id) {
        SharedRoom room;
        while (true) {
            room = rooms.computeIfAbsent(roomName, name -> new SharedRoom(name, sender, metrics, listing));
            SharedRoom.JoinStart start = room.startJoin(session, id);
            if (start == SharedRoom.JoinStart.ANSWERED) {
                return;
            }
            if (start == SharedRoom.JoinStart.WAITING) {
                break;
            }
            rooms.remove(roomName, room);
        }
        session.rooms().add(roomName);
        SharedRoom joining = room;
        int names = joining.knowsEveryone() ? listing.joinedMaxMembers() : RedisRooms.ALL_NAMES;
        store.join(roomName, session.user(), session.id(), recovery.map(ClientCommand.Recovery::since),
                recovery.flatMap(ClientCommand.Recovery::epoch), names).subscribe().with(
                        snapshot -> joining.completeJoin(session, snapshot),
                        failure -> {
                            session.rooms().remove(roomName);
                            if (joining.failJoin(session)) {
                                rooms.remove(roomName, joining);
                            }
                            unavailable(session, "could not join " + roomName, id);
                        });
    }

    @Override
    public boolean leave(ChatSession session, String roomName, Optional<String> id) {
        if (!session.rooms().remove(roomName)) {
            return false;
        }
        leaveRoom(session, roomName);
        sender.send(session, ServerFrames.left(roomName, id));
        return true;
    }

    @Override
    public void remove(ChatSession session, String roomName, ServerFrames.LeaveReason reason) {
        if (session.rooms().remove(roomName)) {
            leaveRoom(session, roomName);
            sender.send(session, ServerFrames.removed(roomName, reason));
        }
    }

    @Override
    public void leaveAll(ChatSession session) {
        for (String roomName : List.copyOf(session.rooms())) {
            session.rooms().remove(roomName);
            leaveRoom(session, roomName);
        }
    }

    @Override
    public boolean post(ChatSession session, String roomName, String text, Optional<String> id, long receivedAt) {
        if (!session.rooms().contains(roomName)) {
            return false;
        }
        Instant now = Instant.now();
        ServerFrames.SeqSlot frame = ServerFrames.messageAroundSeq(roomName, session.user(), text, now, id);
        Optional<String> digest = id.map(unused -> TextDigest.of(text).hex());
        Optional<RedisRooms.SentId> sentId = id.map(
                value -> new RedisRooms.SentId(session.user(), value, digest.get(), now.toEpochMilli()));
        store.append(roomName, frame.before(), frame.after(), sentId).subscribe().with(
                appended -> {
                    if (appended instanceof Appended.AlreadyPosted earlier) {
                        answerResend(session, roomName, text, id, digest.get(), earlier);
                    } else {
                        metrics.broadcastFinished(receivedAt);
                    }
                },
                failure -> unavailable(session, "message not sent to " + roomName, id));
        return true;
    }

    @Override
    public int size() {
        return rooms.size();
    }

    @Override
    public List<String> memberNames(String roomName) {
        SharedRoom room = rooms.get(roomName);
        return room == null ? List.of() : room.everyone();
    }

    @Override
    public int connectionCount(String roomName) {
        SharedRoom room = rooms.get(roomName);
        return room == null ? 0 : room.connectionCount();
    }

    @Override
    public boolean available() {
        return store.isUp();
    }

    private void leaveRoom(ChatSession session, String roomName) {
        SharedRoom room = rooms.get(roomName);
        if (room == null) {
            return;
        }
        SharedRoom.Departure departure = room.leave(session);
        if (departure.retired()) {
            rooms.remove(roomName, room);
        }
        if (departure.lastLocalConnectionOfUser()) {
            // If Redis cannot be told now, the entry expires after chat.backplane.redis.presence-ttl.
            store.leave(roomName, session.user()).subscribe().with(done -> {
            }, failure -> LOG.debugf("Presence of %s in %s left to expire: %s", LogSafe.escaped(session.user()),
                    LogSafe.escaped(roomName), failure));
        }
    }

    private void dispatch(BackplaneEvent event) {
        SharedRoom room = rooms.get(event.room());
        if (room != null) {
            room.on(event);
        }
    }

    /** The link is back: put back presence Redis may have lost, and let every room catch up. */
    private void linkRestored() {
        refreshPresence();
        rooms.values().forEach(this::catchUp);
    }

    private void check() {
        if (!store.isUp()) {
            return;
        }
        rooms.values().stream().filter(SharedRoom::needsCatchUp).forEach(this::catchUp);
        if (System.nanoTime() - lastRefreshNanos >= refreshIntervalNanos) {
            refreshPresence();
        }
    }

    private void catchUp(SharedRoom room) {
        room.startCatchUp().ifPresent(from -> store.read(room.name(), from.seq(), from.epoch(), RedisRooms.ALL_NAMES).subscribe().with(
                room::caughtUp,
                failure -> {
                    room.catchUpFailed();
                    LOG.debugf("Room %s will catch up later: %s", LogSafe.escaped(room.name()), failure);
                }));
    }

    private void refreshPresence() {
        lastRefreshNanos = System.nanoTime();
        for (SharedRoom room : rooms.values()) {
            List<String> users = room.localUsers();
            if (!users.isEmpty()) {
                store.refresh(room.name(), users).subscribe().with(done -> {
                }, failure -> LOG.debugf("Presence refresh of %s failed: %s", LogSafe.escaped(room.name()), failure));
            }
        }
    }

    /** A resend: the sender alone gets the original message, in its place in the room's stream here. */
    private void answerResend(ChatSession session, String roomName, String text, Optional<String> id, String digest,
            Appended.AlreadyPosted earlier) {
        if (!earlier.textDigest().equals(digest)) {
            sender.refuse(session, ErrorCode.ID_REUSED, IdempotencyKeys.REUSED_ID, id);
            return;
        }
        SharedRoom room = rooms.get(roomName);
        if (room != null) {
            metrics.messageDeduplicated();
            room.acknowledge(session, earlier.epoch(), earlier.seq(),
                    ServerFrames.message(roomName, earlier.seq(), session.user(), text, earlier.ts(), id));
        }
    }

    private void unavailable(ChatSession session, String what, Optional<String> id) {
        sender.refuse(session, ErrorCode.UNAVAILABLE, what + ": the backplane is unreachable, try again shortly", id);
    }
}

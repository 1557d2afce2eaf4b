package dev.quarkchat.room;

import dev.quarkchat.engine.HistorySnapshot;
import dev.quarkchat.engine.Members;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.ServerFrames.PresenceEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One room's stream as this instance's connections see it: which frames each connection is given,
 * so that every member sees every {@code seq} of the room once, in order, whatever the order in
 * which the room's snapshots and events arrive. It does no I/O and takes no lock: its {@link Room}
 * calls it under the room's lock, and it answers through {@link Connections}.
 *
 * <p>A joining connection waits for its snapshot (history and members); what arrives meanwhile is
 * held for it and given after the snapshot, without the messages the snapshot already had, and with
 * only the presence events that came after its own join event. If this instance's stream breaks (a
 * gap in {@code seq}, or a lost link to the engine), new messages are held back while the room
 * catches up from the engine's history, then given in order. A stream in a new epoch (the engine
 * lost the room) gives every member a fresh {@code joined} and the latest messages. A resend's
 * answer waits until its connection has been given the original.
 *
 * <p>An engine that answers at once and in order (in memory) simply never exercises the waiting
 * parts.
 *
 * @param <C> a connection
 * @param <F> an encoded frame, made once and given to any number of connections
 */
public final class RoomSeam<C, F> {

    /** How the seam reaches the connections. */
    public interface Connections<C, F> {

        /** The connection's id, as the engine names it in {@link RoomEvent.Joined}. */
        String idOf(C connection);

        /** The user the connection is signed in as. */
        String userOf(C connection);

        /** Encodes a frame once, for any number of connections. */
        F encode(String frame);

        /** Queues a frame on a connection, after everything queued on it before. */
        void send(C connection, F frame);

        /**
         * Queues a frame on each of the connections, in their order: the broadcast's loop, one call
         * per message, so that the implementation's per-member work can be compiled as one piece.
         */
        default void sendToAll(Collection<C> connections, F frame) {
            for (C connection : connections) {
                send(connection, frame);
            }
        }

        /** A message went out to this many members. */
        void messageDelivered(int connections);
    }

    /** What a join attempt found. */
    public enum JoinStart {
        /** The connection was already in the room, or joining it; it has been answered. */
        ANSWERED,
        /** The connection now waits for its snapshot. */
        WAITING
    }

    /**
     * Where a room stood for a reader: its history from the broker, its members from presence, and
     * for a join where the user stands in its reading.
     */
    public record Snapshot(
            HistorySnapshot history, Members members, Optional<ServerFrames.Reading> reading) {

        /** A snapshot for catching up, which no user reads. */
        public Snapshot(HistorySnapshot history, Members members) {
            this(history, members, Optional.empty());
        }

        public Snapshot withReading(ServerFrames.Reading reading) {
            return new Snapshot(history, members, Optional.of(reading));
        }
    }

    private final String name;
    private final MemberListing listing;
    private final Connections<C, F> out;
    private final Map<String, C> members = new LinkedHashMap<>();

    /**
     * The members again, by user: a read position reaches a user's other connections without a walk
     * through a crowded room for each.
     */
    private final Map<String, List<C>> membersByUser = new HashMap<>();

    private final Map<String, Joiner<C, F>> joiners = new LinkedHashMap<>();

    /**
     * Members whose snapshot ran ahead of this instance's live stream (the snapshot's reply can
     * overtake the published messages): the seq each already has, so that it does not get those
     * messages twice.
     */
    private final Map<String, Long> aheadOfStream = new HashMap<>();

    /**
     * Everyone in the room on any instance, as the first snapshot and the presence events since
     * tell.
     */
    private final Set<String> everyone = new LinkedHashSet<>();

    /**
     * Answers to resends that wait until their connection has been given the original (see
     * acknowledge).
     */
    private final List<Acknowledgement<C, F>> acknowledgements = new ArrayList<>();

    /** The room's epoch here; null until the first snapshot. */
    private String epoch;

    private long lastSeq;

    /** Messages that arrived while catching up, in order; null while live. */
    private List<RoomEvent.Message> heldBack;

    /** A catch-up is wanted and none is under way (a gap was seen, or the last attempt failed). */
    private boolean catchUpDue;

    /** A connection between its join and its snapshot, and what it must get after the snapshot. */
    private static final class Joiner<C, F> {
        private final C connection;
        private final Optional<String> id;

        /** Its own join event has come by: later presence events happened after its snapshot. */
        private boolean seamPassed;

        private final List<Pending<F>> pending = new ArrayList<>();

        /** Kept when the snapshot arrives while the room is catching up. */
        private Snapshot snapshot;

        private Joiner(C connection, Optional<String> id) {
            this.connection = connection;
            this.id = id;
        }
    }

    /** The original message, for a connection that sent it again. */
    private record Acknowledgement<C, F>(C connection, String epoch, long seq, F frame) {}

    /**
     * A frame held for a joiner; {@code seq} and {@code epoch} only for messages, to drop what its
     * snapshot had.
     */
    private record Pending<F>(F frame, long seq, String epoch) {}

    public RoomSeam(String name, MemberListing listing, Connections<C, F> out) {
        this.name = name;
        this.listing = listing;
        this.out = out;
    }

    /**
     * A connection asks to join: it waits for its snapshot, unless it is already in the room or
     * waiting, which is answered with {@code joined} at once.
     */
    public JoinStart startJoin(C connection, Optional<String> id) {
        String connectionId = out.idOf(connection);
        if (members.containsKey(connectionId) || joiners.containsKey(connectionId)) {
            out.send(
                    connection,
                    out.encode(
                            ServerFrames.joined(
                                    name,
                                    listing.namesToList(everyone),
                                    everyone.size(),
                                    epoch == null ? "" : epoch,
                                    lastSeq,
                                    false,
                                    id)));
            return JoinStart.ANSWERED;
        }
        joiners.put(connectionId, new Joiner<>(connection, id));
        return JoinStart.WAITING;
    }

    /**
     * The joiner's snapshot arrived: it gets {@code joined}, the snapshot's messages, then what
     * came after.
     */
    public void completeJoin(C connection, Snapshot snapshot) {
        String connectionId = out.idOf(connection);
        Joiner<C, F> joiner = joiners.get(connectionId);
        if (joiner == null) {
            return; // it left, or its socket closed, while the engine answered
        }
        if (heldBack != null) {
            joiner.snapshot = snapshot;
            return; // finished once the room has caught up, so that it gets nothing twice
        }
        joiners.remove(connectionId);
        HistorySnapshot history = snapshot.history();
        boolean firstSnapshot = epoch == null;
        if (firstSnapshot) {
            epoch = history.epoch();
            lastSeq = history.seq();
            everyone.addAll(snapshot.members().names()); // complete: see knowsEveryone()
        }
        out.send(
                connection,
                out.encode(
                        ServerFrames.joined(
                                name,
                                listing.namesToList(snapshot.members().names()),
                                snapshot.members().count(),
                                history.epoch(),
                                history.seq(),
                                history.recovered(),
                                snapshot.reading(),
                                joiner.id)));
        for (String frame : history.frames()) {
            out.send(connection, out.encode(frame));
        }
        long has = history.seq();
        for (Pending<F> pending : joiner.pending) {
            boolean inSnapshot =
                    pending.epoch() != null
                            && (!pending.epoch().equals(history.epoch())
                                    || pending.seq() <= history.seq());
            if (!inSnapshot) {
                out.send(connection, pending.frame());
                has = Math.max(has, pending.seq());
            }
        }
        if (firstSnapshot) {
            lastSeq = Math.max(lastSeq, has); // what was held for it is this room's stream so far
        } else if (history.epoch().equals(epoch) && has > lastSeq) {
            aheadOfStream.put(connectionId, has);
        }
        members.put(connectionId, connection);
        membersByUser
                .computeIfAbsent(out.userOf(connection), user -> new ArrayList<>(1))
                .add(connection);
        releaseAcknowledgements();
    }

    /**
     * Takes a connection out, member or joiner.
     *
     * @return whether it was in the room
     */
    public boolean leave(C connection) {
        String connectionId = out.idOf(connection);
        C member = members.remove(connectionId);
        if (member != null) {
            forgetByUser(member);
        }
        boolean wasHere = member != null || joiners.remove(connectionId) != null;
        aheadOfStream.remove(connectionId);
        acknowledgements.removeIf(waiting -> waiting.connection() == connection);
        return wasHere;
    }

    private void forgetByUser(C member) {
        String user = out.userOf(member);
        List<C> ofUser = membersByUser.get(user);
        ofUser.remove(member);
        if (ofUser.isEmpty()) {
            membersByUser.remove(user);
        }
    }

    /** An event of the room's stream, in the engine's order. */
    public void on(RoomEvent event) {
        if (event instanceof RoomEvent.Message message) {
            accept(message);
        } else if (event instanceof RoomEvent.Joined joined) {
            Joiner<C, F> joiner = joiners.get(joined.connectionId());
            if (joiner != null) {
                joiner.seamPassed = true;
            }
            if (everyone.add(joined.user()) && announcesPresence()) {
                tellPresence(joined.user(), PresenceEvent.JOIN, joined.connectionId());
            }
        } else if (event instanceof RoomEvent.Left left) {
            boolean announced = announcesPresence();
            if (everyone.remove(left.user()) && announced) {
                tellPresence(left.user(), PresenceEvent.LEAVE, RoomEvent.NO_CONNECTION);
            }
        } else if (event instanceof RoomEvent.Typing typing) {
            tellTyping(typing.user());
        } else if (event instanceof RoomEvent.Read read) {
            tellRead(read);
        }
    }

    /**
     * Answers a resend with the original message once its connection has been given every message
     * up to it: the engine's answer to the resend can come before the original's event reaches this
     * instance, and must not overtake it, nor anything before it.
     *
     * @param originalEpoch the epoch the original was posted in: once the room is past it, nothing
     *     is awaited
     */
    public void acknowledge(C connection, String originalEpoch, long seq, F frame) {
        acknowledgements.add(new Acknowledgement<>(connection, originalEpoch, seq, frame));
        releaseAcknowledgements();
    }

    /**
     * Starts catching up from where this instance stands, holding new messages back meanwhile.
     *
     * @return the position to read from, or empty if there is nothing to catch up with yet
     */
    public Optional<StreamPosition> startCatchUp() {
        if (epoch == null || (heldBack != null && !catchUpDue)) {
            return Optional.empty();
        }
        if (heldBack == null) {
            heldBack = new ArrayList<>();
        }
        catchUpDue = false;
        return Optional.of(new StreamPosition(epoch, lastSeq));
    }

    /** The engine's history answered: deliver what was missed, then what was held back. */
    public void caughtUp(Snapshot snapshot) {
        List<RoomEvent.Message> held = heldBack;
        heldBack = null;
        HistorySnapshot history = snapshot.history();
        if (history.recovered()) {
            long seq = history.seq() - history.frames().size();
            for (String frame : history.frames()) {
                accept(new RoomEvent.Message(name, history.epoch(), ++seq, frame));
            }
        } else {
            startOver(history.epoch(), history.seq(), history.frames());
        }
        replaceEveryone(snapshot.members());
        held.forEach(this::accept);
        if (heldBack == null) {
            for (Joiner<C, F> joiner : List.copyOf(joiners.values())) {
                if (joiner.snapshot != null) {
                    completeJoin(joiner.connection, joiner.snapshot);
                }
            }
        }
        releaseAcknowledgements();
    }

    /**
     * Catching up failed (the engine went away again): it is retried, and messages stay held back.
     */
    public void catchUpFailed() {
        catchUpDue = true;
    }

    /**
     * Where a member has read up to when it says {@code seq}: no further than what this instance
     * has given out; empty before the room's first snapshot.
     */
    public Optional<StreamPosition> readPosition(long seq) {
        return epoch == null
                ? Optional.empty()
                : Optional.of(new StreamPosition(epoch, Math.min(seq, lastSeq)));
    }

    /** Whether the room should start catching up. */
    public boolean needsCatchUp() {
        return catchUpDue;
    }

    /**
     * Whether this instance knows every member; until then a join's snapshot must list them all.
     */
    public boolean knowsEveryone() {
        return epoch != null;
    }

    /**
     * Whether the room is small enough for presence events, and typing events with them, as far as
     * this instance knows.
     */
    public boolean announcesPresence() {
        return listing.announcesPresenceAmong(everyone.size());
    }

    /** Everyone in the room on any instance, in the order this instance learnt of them. */
    public List<String> everyone() {
        return new ArrayList<>(everyone);
    }

    /** How many of this instance's connections are members (not counting those still joining). */
    public int connectionCount() {
        return members.size();
    }

    /** Whether no connection of this instance is in the room or joining it. */
    public boolean isEmpty() {
        return members.isEmpty() && joiners.isEmpty();
    }

    /** Holds the message back while the room catches up, else delivers it. */
    private void accept(RoomEvent.Message message) {
        if (heldBack != null) {
            heldBack.add(message);
        } else {
            deliver(message);
        }
    }

    private void deliver(RoomEvent.Message message) {
        if (epoch != null) {
            if (!epoch.equals(message.epoch())) {
                // The engine lost the room (Redis restarted without persistence, or it expired): a
                // new sequence.
                startOver(message.epoch(), message.seq() - 1, List.of());
            }
            if (message.seq() <= lastSeq) {
                return; // already delivered: the overlap of a catch-up with the live stream
            }
            if (message.seq() > lastSeq + 1) {
                heldBack = new ArrayList<>(List.of(message));
                catchUpDue = true; // its room starts catching up once this event is handled
                return;
            }
            lastSeq = message.seq();
        }
        F frame = out.encode(message.frame());
        if (aheadOfStream.isEmpty()) {
            out.sendToAll(members.values(), frame);
        } else {
            for (C member : members.values()) {
                if (aheadOfStream.getOrDefault(out.idOf(member), 0L) < message.seq()) {
                    out.send(member, frame);
                }
            }
            aheadOfStream.values().removeIf(has -> has <= lastSeq);
        }
        if (!acknowledgements.isEmpty()) {
            releaseAcknowledgements();
        }
        if (!joiners.isEmpty()) {
            for (Joiner<C, F> joiner : joiners.values()) {
                joiner.pending.add(new Pending<>(frame, message.seq(), message.epoch()));
            }
        }
        out.messageDelivered(members.size());
    }

    /**
     * Sends every waiting answer whose connection has now been given its original (or whose epoch
     * has passed); a joiner's waits for its snapshot.
     */
    private void releaseAcknowledgements() {
        if (heldBack != null) {
            return;
        }
        acknowledgements.removeIf(
                waiting -> {
                    String connectionId = out.idOf(waiting.connection());
                    boolean given =
                            !waiting.epoch().equals(epoch)
                                    || waiting.seq() <= lastSeq
                                    || waiting.seq()
                                            <= aheadOfStream.getOrDefault(connectionId, 0L);
                    if (!members.containsKey(connectionId)) {
                        return !joiners.containsKey(connectionId); // gone: nobody to answer
                    }
                    if (given) {
                        out.send(waiting.connection(), waiting.frame());
                    }
                    return given;
                });
    }

    /**
     * Tells every member that the room's history here cannot be continued, and gives a fresh view.
     */
    private void startOver(String newEpoch, long seq, List<String> latest) {
        epoch = newEpoch;
        lastSeq = seq;
        aheadOfStream.clear();
        F joined =
                out.encode(
                        ServerFrames.joined(
                                name,
                                listing.namesToList(everyone),
                                everyone.size(),
                                newEpoch,
                                seq,
                                false,
                                Optional.empty()));
        List<F> history = latest.stream().map(out::encode).toList();
        for (C member : members.values()) {
            out.send(member, joined);
            history.forEach(frame -> out.send(member, frame));
        }
    }

    /**
     * After catching up: the members the engine knows replace those this instance knew, and the
     * difference is announced. Only for rooms small enough that the snapshot listed every member.
     */
    private void replaceEveryone(Members now) {
        if (now.names().size() < now.count() || !listing.announcesPresenceAmong(now.count())) {
            return;
        }
        for (String user : List.copyOf(everyone)) {
            if (!now.names().contains(user)) {
                everyone.remove(user);
                tellPresence(user, PresenceEvent.LEAVE, RoomEvent.NO_CONNECTION);
            }
        }
        for (String user : now.names()) {
            if (everyone.add(user)) {
                tellPresence(user, PresenceEvent.JOIN, RoomEvent.NO_CONNECTION);
            }
        }
    }

    /**
     * Tells the members other than the typing user's own connections. Neither held for joiners nor
     * while catching up: it would come after the messages it preceded, and the next one is an
     * interval away.
     */
    private void tellTyping(String user) {
        if (heldBack != null || !announcesPresence()) {
            return;
        }
        F frame = out.encode(ServerFrames.typing(name, user));
        for (C member : members.values()) {
            if (!out.userOf(member).equals(user)) {
                out.send(member, frame);
            }
        }
    }

    /**
     * The user's read position moved: each of its other connections here hears of it, so that every
     * device agrees; the one that moved it knows. A joiner's snapshot may have read the position
     * before or after the move; clients keep the furthest.
     */
    private void tellRead(RoomEvent.Read read) {
        F frame = null;
        for (C member : membersByUser.getOrDefault(read.user(), List.of())) {
            if (!out.idOf(member).equals(read.connectionId())) {
                frame = frame == null ? out.encode(ServerFrames.read(name, read.seq())) : frame;
                out.send(member, frame);
            }
        }
        for (Joiner<C, F> joiner : joiners.values()) {
            if (out.userOf(joiner.connection).equals(read.user())) {
                frame = frame == null ? out.encode(ServerFrames.read(name, read.seq())) : frame;
                joiner.pending.add(new Pending<>(frame, 0, null));
            }
        }
    }

    private void tellPresence(String user, PresenceEvent event, String exceptConnection) {
        F frame = out.encode(ServerFrames.presence(name, user, event));
        for (C member : members.values()) {
            if (!out.idOf(member).equals(exceptConnection)) {
                out.send(member, frame);
            }
        }
        for (Joiner<C, F> joiner : joiners.values()) {
            if (joiner.seamPassed && !out.idOf(joiner.connection).equals(exceptConnection)) {
                joiner.pending.add(new Pending<>(frame, 0, null));
            }
        }
    }
}

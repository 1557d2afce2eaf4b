package dev.quarkchat.chat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.quarkchat.backplane.BackplaneEvent;
import dev.quarkchat.backplane.RoomSnapshot;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.ServerFrames.PresenceEvent;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.OutboundFrame;
import dev.quarkchat.session.FrameSender;

/**
 * One room as this instance sees it when rooms are shared through Redis: the local connections in it, those
 * still joining, everyone in it on any instance, and where its message sequence stands here.
 * <p>
 * Messages reach this instance in Redis' order, as {@link BackplaneEvent}s. A joining connection waits for
 * its snapshot (history and members, taken atomically with its presence entry); what arrives meanwhile is
 * held for it and given after the snapshot, without the messages the snapshot already had. If this
 * instance's own stream of events breaks (a gap in {@code seq}, or a lost link), the room holds new messages
 * back, catches up from Redis' history, and then goes on: members see every seq once, in order. Every change
 * happens under the room's lock, which is never held while waiting for Redis.
 */
final class SharedRoom {

    /** What a join attempt found. */
    enum JoinStart {
        /** The room emptied and was dropped: look it up again. */
        RETIRED,
        /** The connection was already in the room; it has been answered. */
        ANSWERED,
        /** The connection now waits for its snapshot. */
        WAITING
    }

    /** What a leave changed. */
    record Departure(boolean lastLocalConnectionOfUser, boolean retired) {
    }

    private final String name;
    private final FrameSender sender;
    private final ChatMetrics metrics;
    private final MemberListing listing;
    private final Map<String, ChatSession> members = new LinkedHashMap<>();
    private final Map<String, Joiner> joiners = new LinkedHashMap<>();
    /** This instance's connections per user, joined or joining: its presence entry lives while one is left. */
    private final Map<String, Integer> localConnectionsByUser = new HashMap<>();
    /**
     * Members whose snapshot ran ahead of this instance's live stream (the snapshot's reply can overtake
     * the published messages): the seq each already has, so that it does not get those messages twice.
     */
    private final Map<String, Long> aheadOfStream = new HashMap<>();
    /** Everyone in the room on any instance, as the first snapshot and the presence events since tell. */
    private final Set<String> everyone = new LinkedHashSet<>();
    /** Answers to resends that wait until their connection has been given the original (see acknowledge). */
    private final List<Acknowledgement> acknowledgements = new ArrayList<>();
    /** The room's epoch here; null until the first snapshot. */
    private String epoch;
    private long lastSeq;
    /** Messages that arrived while catching up, in order; null while live. */
    private List<BackplaneEvent.Message> heldBack;
    /** A catch-up is wanted and none is under way (a gap was seen, or the last attempt failed). */
    private boolean catchUpDue;
    private boolean retired;

    /** A connection between its join and its snapshot, and what it must get after the snapshot. */
    private static final class Joiner {
        private final ChatSession session;
        private final Optional<String> id;
        /** Its own join event has come by: later presence events happened after its snapshot. */
        private boolean seamPassed;
        private final List<Pending> pending = new ArrayList<>();
        /** Kept when the snapshot arrives while the room is catching up. */
        private RoomSnapshot snapshot;

        private Joiner(ChatSession session, Optional<String> id) {
            this.session = session;
            this.id = id;
        }
    }

    /** The original message, for a connection that sent it again. */
    private record Acknowledgement(ChatSession session, String epoch, long seq, OutboundFrame frame) {
    }

    /** A frame held for a joiner; {@code seq} and {@code epoch} only for messages, to drop what its snapshot had. */
    private record Pending(OutboundFrame frame, long seq, String epoch) {
    }

    SharedRoom(String name, FrameSender sender, ChatMetrics metrics, MemberListing listing) {
        this.name = name;
        this.sender = sender;
        this.metrics = metrics;
        this.listing = listing;
    }

    String name() {
        return name;
    }

    synchronized JoinStart startJoin(ChatSession session, Optional<String> id) {
        if (retired) {
            return JoinStart.RETIRED;
        }
        if (members.containsKey(session.id()) || joiners.containsKey(session.id())) {
            sender.send(session, ServerFrames.joined(name, listing.namesToList(everyone), everyone.size(), epochOrEmpty(),
                    lastSeq, false, id));
            return JoinStart.ANSWERED;
        }
        joiners.put(session.id(), new Joiner(session, id));
        localConnectionsByUser.merge(session.user(), 1, Integer::sum);
        return JoinStart.WAITING;
    }

    /** The joiner's snapshot arrived: it gets {@code joined}, the snapshot's messages, then what came after. */
    synchronized void completeJoin(ChatSession session, RoomSnapshot snapshot) {
        Joiner joiner = joiners.get(session.id());
        if (joiner == null) {
            return; // it left, or its socket closed, while Redis answered
        }
        if (heldBack != null) {
            joiner.snapshot = snapshot;
            return; // finished once the room has caught up, so that it gets nothing twice
        }
        joiners.remove(session.id());
        boolean firstSnapshot = epoch == null;
        if (firstSnapshot) {
            epoch = snapshot.epoch();
            lastSeq = snapshot.seq();
            everyone.addAll(snapshot.members()); // complete: see knowsEveryone()
        }
        sender.send(session, ServerFrames.joined(name, listing.namesToList(snapshot.members()), snapshot.memberCount(),
                snapshot.epoch(), snapshot.seq(), snapshot.recovered(), joiner.id));
        for (String frame : snapshot.frames()) {
            sender.send(session, frame);
        }
        long has = snapshot.seq();
        for (Pending pending : joiner.pending) {
            boolean inSnapshot = pending.epoch() != null
                    && (!pending.epoch().equals(snapshot.epoch()) || pending.seq() <= snapshot.seq());
            if (!inSnapshot) {
                sender.send(session, pending.frame());
                has = Math.max(has, pending.seq());
            }
        }
        if (firstSnapshot) {
            lastSeq = Math.max(lastSeq, has); // what was held for it is this room's stream so far
        } else if (snapshot.epoch().equals(epoch) && has > lastSeq) {
            aheadOfStream.put(session.id(), has);
        }
        members.put(session.id(), session);
        releaseAcknowledgements();
    }

    /**
     * The joiner could not get its snapshot (Redis unreachable): it is not in the room.
     *
     * @return true if the room is now empty and retired
     */
    synchronized boolean failJoin(ChatSession session) {
        if (joiners.remove(session.id()) != null) {
            forgetLocalConnection(session.user());
        }
        return retireIfEmpty();
    }

    synchronized Departure leave(ChatSession session) {
        boolean wasHere = members.remove(session.id()) != null || joiners.remove(session.id()) != null;
        aheadOfStream.remove(session.id());
        acknowledgements.removeIf(waiting -> waiting.session() == session);
        boolean lastOfUser = wasHere && forgetLocalConnection(session.user());
        return new Departure(lastOfUser, retireIfEmpty());
    }

    synchronized void on(BackplaneEvent event) {
        if (event instanceof BackplaneEvent.Message message) {
            accept(message);
        } else if (event instanceof BackplaneEvent.Joined joined) {
            Joiner joiner = joiners.get(joined.connectionId());
            if (joiner != null) {
                joiner.seamPassed = true;
            }
            if (everyone.add(joined.user()) && listing.announcesPresenceAmong(everyone.size())) {
                tellPresence(joined.user(), PresenceEvent.JOIN, joined.connectionId());
            }
        } else if (event instanceof BackplaneEvent.Left left) {
            boolean announced = listing.announcesPresenceAmong(everyone.size());
            if (everyone.remove(left.user()) && announced) {
                tellPresence(left.user(), PresenceEvent.LEAVE, BackplaneEvent.NO_CONNECTION);
            }
        }
    }

    /**
     * Answers a resend with the original message once its connection has been given every message up to it:
     * Redis' answer to the resend can come before the original's event reaches this instance, and must not
     * overtake it, nor anything before it.
     */
    synchronized void acknowledge(ChatSession session, String originalEpoch, long seq, String frame) {
        acknowledgements.add(new Acknowledgement(session, originalEpoch, seq, OutboundFrame.of(frame)));
        releaseAcknowledgements();
    }

    /**
     * Starts catching up from where this instance stands, holding new messages back meanwhile.
     *
     * @return the position to read from (epoch, seq), or empty if there is nothing to catch up with yet
     */
    synchronized Optional<Position> startCatchUp() {
        if (epoch == null || (heldBack != null && !catchUpDue)) {
            return Optional.empty();
        }
        if (heldBack == null) {
            heldBack = new ArrayList<>();
        }
        catchUpDue = false;
        return Optional.of(new Position(epoch, lastSeq));
    }

    /** Where this instance stands in the room's sequence. */
    record Position(String epoch, long seq) {
    }

    /** Redis' history answered: deliver what was missed, then what was held back. */
    synchronized void caughtUp(RoomSnapshot snapshot) {
        List<BackplaneEvent.Message> held = heldBack;
        heldBack = null;
        if (snapshot.recovered()) {
            long seq = snapshot.seq() - snapshot.frames().size();
            for (String frame : snapshot.frames()) {
                accept(new BackplaneEvent.Message(name, snapshot.epoch(), ++seq, frame));
            }
        } else {
            startOver(snapshot.epoch(), snapshot.seq(), snapshot.frames());
        }
        replaceEveryone(snapshot);
        held.forEach(this::accept);
        if (heldBack == null) {
            for (Joiner joiner : List.copyOf(joiners.values())) {
                if (joiner.snapshot != null) {
                    completeJoin(joiner.session, joiner.snapshot);
                }
            }
        }
        releaseAcknowledgements();
    }

    /** Catching up failed (Redis went away again): it is retried, and messages stay held back. */
    synchronized void catchUpFailed() {
        catchUpDue = true;
    }

    synchronized boolean needsCatchUp() {
        return catchUpDue;
    }

    /** The users with a connection here, whose presence entries this instance keeps alive. */
    synchronized List<String> localUsers() {
        return new ArrayList<>(localConnectionsByUser.keySet());
    }

    /** Whether this instance knows every member; until then a join's snapshot must list them all. */
    synchronized boolean knowsEveryone() {
        return epoch != null;
    }

    synchronized List<String> everyone() {
        return new ArrayList<>(everyone);
    }

    synchronized int connectionCount() {
        return members.size();
    }

    /** Holds the message back while the room catches up, else delivers it. */
    private void accept(BackplaneEvent.Message message) {
        if (heldBack != null) {
            heldBack.add(message);
        } else {
            deliver(message);
        }
    }

    private void deliver(BackplaneEvent.Message message) {
        if (epoch != null) {
            if (!epoch.equals(message.epoch())) {
                // Redis lost the room (restarted without persistence, or it expired): a new sequence begins.
                startOver(message.epoch(), message.seq() - 1, List.of());
            }
            if (message.seq() <= lastSeq) {
                return; // already delivered: the overlap of a catch-up with the live stream
            }
            if (message.seq() > lastSeq + 1) {
                heldBack = new ArrayList<>(List.of(message));
                catchUpDue = true; // picked up by the registry's next check
                return;
            }
            lastSeq = message.seq();
        }
        OutboundFrame frame = OutboundFrame.of(message.frame());
        for (ChatSession member : members.values()) {
            if (aheadOfStream.isEmpty() || aheadOfStream.getOrDefault(member.id(), 0L) < message.seq()) {
                sender.send(member, frame);
            }
        }
        if (!aheadOfStream.isEmpty()) {
            aheadOfStream.values().removeIf(has -> has <= lastSeq);
        }
        if (!acknowledgements.isEmpty()) {
            releaseAcknowledgements();
        }
        for (Joiner joiner : joiners.values()) {
            joiner.pending.add(new Pending(frame, message.seq(), message.epoch()));
        }
        metrics.messagesDelivered(members.size());
    }

    /**
     * Sends every waiting answer whose connection has now been given its original (or whose epoch has passed);
     * a joiner's waits for its snapshot.
     */
    private void releaseAcknowledgements() {
        if (heldBack != null) {
            return;
        }
        acknowledgements.removeIf(waiting -> {
            String connection = waiting.session().id();
            boolean given = !waiting.epoch().equals(epoch) || waiting.seq() <= lastSeq
                    || waiting.seq() <= aheadOfStream.getOrDefault(connection, 0L);
            if (!members.containsKey(connection)) {
                return !joiners.containsKey(connection); // gone: nobody to answer
            }
            if (given) {
                sender.send(waiting.session(), waiting.frame());
            }
            return given;
        });
    }

    /** Tells every member that the room's history here cannot be continued, and gives a fresh view. */
    private void startOver(String newEpoch, long seq, List<String> latest) {
        epoch = newEpoch;
        lastSeq = seq;
        aheadOfStream.clear();
        OutboundFrame joined = OutboundFrame.of(ServerFrames.joined(name, listing.namesToList(everyone), everyone.size(),
                newEpoch, seq, false, Optional.empty()));
        List<OutboundFrame> history = latest.stream().map(OutboundFrame::of).toList();
        for (ChatSession member : this.members.values()) {
            sender.send(member, joined);
            history.forEach(frame -> sender.send(member, frame));
        }
    }

    /**
     * After catching up: the members Redis knows replace those this instance knew, and the difference is
     * announced. Only for rooms small enough that the snapshot listed every member.
     */
    private void replaceEveryone(RoomSnapshot snapshot) {
        if (snapshot.members().size() < snapshot.memberCount() || !listing.announcesPresenceAmong(snapshot.memberCount())) {
            return;
        }
        List<String> now = snapshot.members();
        for (String user : List.copyOf(everyone)) {
            if (!now.contains(user)) {
                everyone.remove(user);
                tellPresence(user, PresenceEvent.LEAVE, BackplaneEvent.NO_CONNECTION);
            }
        }
        for (String user : now) {
            if (everyone.add(user)) {
                tellPresence(user, PresenceEvent.JOIN, BackplaneEvent.NO_CONNECTION);
            }
        }
    }

    private void tellPresence(String user, PresenceEvent event, String exceptConnection) {
        OutboundFrame frame = OutboundFrame.of(ServerFrames.presence(name, user, event));
        for (ChatSession member : members.values()) {
            if (!member.id().equals(exceptConnection)) {
                sender.send(member, frame);
            }
        }
        for (Joiner joiner : joiners.values()) {
            if (joiner.seamPassed && !joiner.session.id().equals(exceptConnection)) {
                joiner.pending.add(new Pending(frame, 0, null));
            }
        }
    }

    /** @return true if it was the user's last connection here */
    private boolean forgetLocalConnection(String user) {
        int left = localConnectionsByUser.merge(user, -1, Integer::sum);
        if (left == 0) {
            localConnectionsByUser.remove(user);
        }
        return left == 0;
    }

    private boolean retireIfEmpty() {
        retired = members.isEmpty() && joiners.isEmpty();
        return retired;
    }

    private String epochOrEmpty() {
        return epoch == null ? "" : epoch;
    }
}

package dev.quarkchat.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import dev.quarkchat.history.HistoryConfig;
import dev.quarkchat.history.RoomHistory;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.ServerFrames.PresenceEvent;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.OutboundFrame;
import dev.quarkchat.session.FrameSender;

/**
 * One room: its members and its message sequence.
 * <p>
 * Every change and every broadcast happens under the room's lock, and frames are queued on the members'
 * connections before the lock is released. That is what makes {@code seq} gap-free and seen in the same
 * order by every member, and what puts a joiner's {@code joined} reply before any message it can receive.
 * A broadcast costs O(members of this room), whatever the number of connections on the server.
 */
final class Room {

    private final String name;
    private final FrameSender sender;
    /** Member connections by connection id, in the order they joined. */
    private final Map<String, ChatSession> members = new LinkedHashMap<>();
    /** How many connections each member user has in the room: presence is per user, not per connection. */
    private final Map<String, Integer> connectionsByUser = new LinkedHashMap<>();
    /** The last messages and the sequence; lost with the room, which then comes back in a new epoch. */
    private final RoomHistory<OutboundFrame> history;
    private final int replayedOnJoin;
    private final MemberListing listing;
    private final IdempotencyKeys sentIds;
    private final ChatMetrics metrics;
    /** Set when the last member leaves; a retired room is dropped from the registry and never reused. */
    private boolean retired;

    Room(String name, FrameSender sender, HistoryConfig historyConfig, MemberListing listing, IdempotencyKeys sentIds,
            ChatMetrics metrics) {
        this.name = name;
        this.sender = sender;
        this.history = new RoomHistory<>(historyConfig.size());
        this.replayedOnJoin = historyConfig.onJoin();
        this.listing = listing;
        this.sentIds = sentIds;
        this.metrics = metrics;
    }

    String name() {
        return name;
    }

    /**
     * Adds a connection and answers it with {@code joined}, then with the messages it missed since its
     * recovery position if all are still held, else with the latest ones. All of it is queued before any
     * later message, so there is no gap and no duplicate at the seam. The others hear of a user who was
     * not there yet.
     *
     * @return false if the room was retired meanwhile, and the caller must look the room up again
     */
    synchronized boolean join(ChatSession session, Optional<ClientCommand.Recovery> recovery, Optional<String> id) {
        if (retired) {
            return false;
        }
        boolean newMember = members.putIfAbsent(session.id(), session) == null;
        if (newMember) {
            int connections = connectionsByUser.merge(session.user(), 1, Integer::sum);
            if (connections == 1 && listing.announcesPresenceAmong(connectionsByUser.size())) {
                broadcastExcept(session, ServerFrames.presence(name, session.user(), PresenceEvent.JOIN));
            }
        }
        Optional<List<OutboundFrame>> missed = recovery.flatMap(from -> history.after(from.since(), from.epoch()));
        sender.send(session, ServerFrames.joined(name, listing.namesToList(connectionsByUser.keySet()),
                connectionsByUser.size(), history.epoch(), history.lastSeq(), missed.isPresent(), id));
        if (newMember) {
            for (OutboundFrame message : missed.orElseGet(() -> history.latest(replayedOnJoin))) {
                sender.send(session, message);
            }
        }
        return true;
    }

    /**
     * Removes a connection; the others hear of it when it was the user's last connection in the room.
     *
     * @param reply whether to answer the leaving connection with {@code left} (not when its socket is gone)
     * @return true if the room is now empty and retired
     */
    synchronized boolean leave(ChatSession session, Optional<String> id, boolean reply) {
        if (members.remove(session.id()) != null) {
            int connections = connectionsByUser.merge(session.user(), -1, Integer::sum);
            if (connections == 0) {
                boolean announced = listing.announcesPresenceAmong(connectionsByUser.size());
                connectionsByUser.remove(session.user());
                if (announced) {
                    broadcastExcept(session, ServerFrames.presence(name, session.user(), PresenceEvent.LEAVE));
                }
            }
        }
        if (reply) {
            sender.send(session, ServerFrames.left(name, id));
        }
        retired = members.isEmpty();
        return retired;
    }

    /**
     * Gives the message the room's next {@code seq} and queues it for every member, the sender included. A
     * send whose id the user already posted here in this epoch within the window is not posted again: the
     * sender alone gets the original {@code message} (after everything queued for it before), or
     * {@code id_reused} if the text differs. The check is one lookup per send, under this lock, so two
     * connections racing with one id post it once.
     *
     * @param digest the text's digest, made before taking the lock; present when {@code id} is
     * @return how many connections it was queued for; empty if it was not posted
     */
    synchronized OptionalInt post(ChatSession from, String text, Optional<String> id, Optional<TextDigest> digest,
            Instant now) {
        if (id.isPresent()) {
            Optional<IdempotencyKeys.Posted> earlier = sentIds.find(from.user(), name, id.get(), history.epoch());
            if (earlier.isPresent()) {
                answerResend(from, text, id, digest.get(), earlier.get());
                return OptionalInt.empty();
            }
        }
        long seq = history.nextSeq();
        OutboundFrame frame = OutboundFrame.of(ServerFrames.message(name, seq, from.user(), text, now, id));
        history.keep(seq, frame);
        for (ChatSession member : members.values()) {
            sender.send(member, frame);
        }
        if (id.isPresent()) {
            sentIds.remember(from.user(), name, id.get(), history.epoch(), seq, now, digest.get());
        }
        return OptionalInt.of(members.size());
    }

    /** How many connections are members; a user may have several. */
    synchronized int connectionCount() {
        return members.size();
    }

    /** The member user names, in the order they arrived. */
    synchronized List<String> memberNames() {
        return new ArrayList<>(connectionsByUser.keySet());
    }

    private void answerResend(ChatSession from, String text, Optional<String> id, TextDigest digest,
            IdempotencyKeys.Posted earlier) {
        if (!earlier.text().equals(digest)) {
            sender.refuse(from, ErrorCode.ID_REUSED, IdempotencyKeys.REUSED_ID, id);
            return;
        }
        metrics.messageDeduplicated();
        sender.send(from, ServerFrames.message(name, earlier.seq(), from.user(), text, earlier.ts(), id));
    }

    private void broadcastExcept(ChatSession excluded, String text) {
        OutboundFrame frame = OutboundFrame.of(text);
        for (ChatSession member : members.values()) {
            if (member != excluded) {
                sender.send(member, frame);
            }
        }
    }
}

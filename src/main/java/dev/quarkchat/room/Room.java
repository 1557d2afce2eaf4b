package dev.quarkchat.room;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.engine.Appended;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.HistoryPage;
import dev.quarkchat.engine.HistorySnapshot;
import dev.quarkchat.engine.Members;
import dev.quarkchat.engine.Post;
import dev.quarkchat.engine.Presence;
import dev.quarkchat.engine.ReadPositions;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.Mentions;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.CountsByUser;
import dev.quarkchat.session.FrameSender;
import dev.quarkchat.session.OutboundFrame;
import dev.quarkchat.session.UserNotices;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One room as this instance sees it, the same over every engine: the connections of this instance
 * in it, and what they are given, by its {@link RoomSeam}. The {@link Broker} orders the room's
 * messages and hands them back as events; {@link Presence} keeps who is in it. A send is published
 * and reaches the members when its event comes back: at once with the memory engine, through Redis
 * with the shared one.
 *
 * <p>Every change happens under the room's lock, which is never held while calling an engine: the
 * memory engine answers within the call, and hands events back under its own lock.
 */
final class Room implements RoomSeam.Connections<ChatSession, OutboundFrame> {

    private static final Logger LOG = Logger.getLogger(Room.class);

    /** The most members one message's mentions are told to. */
    static final int MAX_MENTIONS_TOLD = 10;

    /** The {@code message} of an {@code id_reused} error. */
    private static final String REUSED_ID =
            "this id was already used for another text in this room: send it with a new id";

    private final String name;
    private final Collaborators parts;
    private final RoomSeam<ChatSession, OutboundFrame> seam;

    /**
     * This instance's connections per user, joined or joining: its presence entry lives while one
     * is left.
     */
    private final CountsByUser localConnections = new CountsByUser();

    /**
     * When each user with a connection here last had a typing event let through ({@link
     * System#nanoTime()}): the throttle of this instance's connections, dropped with the user's
     * last one.
     */
    private final Map<String, Long> typingLetThrough = new HashMap<>();

    /**
     * The latest amendment of this room sent from this instance: each waits for the one before. An
     * amendment writes the message back only if nobody changed it since it read it, so a burst on
     * one message (reactions) sent at once would mostly make each other read again.
     */
    private CompletionStage<?> lastAmendment = CompletableFuture.completedFuture(null);

    private final Broker.Subscription subscription;
    private final Consumer<Room> retire;

    /**
     * Set when the last connection left; a retired room is dropped from the registry and never
     * reused.
     */
    private boolean retired;

    /**
     * What every room of the registry works with: the engines, and the way to its connections.
     *
     * @param pageBytes most bytes of messages in one {@code history} answer
     * @param typingInterval least time between two typing events of one user that reach the others
     */
    record Collaborators(
            Broker broker,
            Presence presence,
            FrameSender sender,
            ChatMetrics metrics,
            MemberListing listing,
            ReadPositions readPositions,
            UserNotices notices,
            int replayedOnJoin,
            long pageBytes,
            Duration typingInterval) {}

    /**
     * Subscribes to the room's events.
     *
     * @param retire told once the room has no connection left here: it must be dropped and its
     *     subscription closed
     */
    Room(String name, Collaborators parts, Consumer<Room> retire) {
        this.name = name;
        this.parts = parts;
        this.seam = new RoomSeam<>(name, parts.listing(), this);
        this.retire = retire;
        this.subscription = parts.broker().subscribe(name, this::on);
    }

    String name() {
        return name;
    }

    /**
     * Puts the connection in the room: it is answered with {@code joined}, which says where the
     * user stopped reading, and the messages it missed since its recovery position if all are still
     * held, else the latest ones, then everything after; the others hear of a user who was not
     * there yet.
     *
     * @return false if the room was retired meanwhile, and the caller must look the room up again
     */
    boolean join(
            ChatSession session, Optional<ClientCommand.Recovery> recovery, Optional<String> id) {
        boolean knowsEveryone;
        synchronized (this) {
            if (retired) {
                return false;
            }
            if (seam.startJoin(session, id) == RoomSeam.JoinStart.ANSWERED) {
                return true;
            }
            localConnections.increment(session.user());
            knowsEveryone = seam.knowsEveryone();
        }
        session.rooms().add(name);
        int names = knowsEveryone ? parts.listing().joinedMaxMembers() : Presence.ALL_NAMES;
        Optional<StreamPosition> since =
                recovery.flatMap(
                        from -> from.epoch().map(epoch -> new StreamPosition(epoch, from.since())));
        // The snapshot and the join's own presence event come after the live stream is here.
        CompletionStage<Void> subscribed = subscription.ready();
        CompletionStage<Members> members =
                subscribed.thenCompose(
                        ready -> parts.presence().join(name, session.user(), session.id(), names));
        CompletionStage<Optional<StreamPosition>> read =
                parts.readPositions().position(name, session.user());
        subscribed
                .thenCompose(ready -> parts.broker().history(name, since, parts.replayedOnJoin()))
                .thenCombine(members, RoomSeam.Snapshot::new)
                .thenCombine(read, (snapshot, position) -> withReading(snapshot, position, session))
                .thenCompose(reading -> reading)
                .whenComplete(
                        (snapshot, failure) -> {
                            if (failure == null) {
                                synchronized (this) {
                                    seam.completeJoin(session, snapshot);
                                }
                            } else {
                                session.rooms().remove(name);
                                leave(session);
                                unavailable(session, "could not join " + name, id);
                            }
                        });
        return true;
    }

    /**
     * Adds where the user stands in the room's reading to a join's snapshot: its read position in
     * the snapshot's epoch (none of another epoch), and how many messages of others after it the
     * snapshot's history holds.
     */
    private CompletionStage<RoomSeam.Snapshot> withReading(
            RoomSeam.Snapshot snapshot, Optional<StreamPosition> read, ChatSession session) {
        HistorySnapshot history = snapshot.history();
        StreamPosition top = new StreamPosition(history.epoch(), history.seq());
        return Readings.at(parts.broker(), name, session.user(), top, read)
                .thenApply(snapshot::withReading);
    }

    /**
     * Takes the connection out of the room, member or still joining; the others hear of it when it
     * was the user's last connection in the room.
     */
    void leave(ChatSession session) {
        boolean lastOfUser;
        boolean nowRetired;
        synchronized (this) {
            lastOfUser = seam.leave(session) && localConnections.decrement(session.user()) == 0;
            if (lastOfUser) {
                typingLetThrough.remove(session.user());
            }
            nowRetired = !retired && seam.isEmpty();
            retired |= nowRetired;
        }
        if (lastOfUser) {
            // If the engine cannot be told now, a shared entry expires after
            // chat.backplane.redis.presence-ttl.
            whenFailed(
                    parts.presence().leave(name, session.user()),
                    "Presence of %s in %s left to expire: %s",
                    session.user());
        }
        if (nowRetired) {
            subscription.close();
            retire.accept(this);
        }
    }

    /**
     * Publishes the message: it reaches every member, the sender included, with the room's next
     * {@code seq}. A send whose id the user already posted here is not posted again: the sender
     * alone gets the original {@code message} (after every message before it), or {@code id_reused}
     * if the text differs.
     *
     * @param receivedAt {@link System#nanoTime()} when the frame arrived, for the broadcast timer
     */
    void post(ChatSession session, String text, Optional<String> id, long receivedAt) {
        Post post = Post.of(name, session.user(), text, Instant.now(), id);
        parts.broker()
                .publish(post)
                .whenComplete(
                        (appended, failure) -> {
                            if (failure != null) {
                                unavailable(session, "message not sent to " + name, id);
                            } else if (appended instanceof Appended.AlreadyPosted earlier) {
                                answerResend(session, post, earlier);
                            } else {
                                parts.metrics().broadcastFinished(receivedAt);
                                tellMentioned(post, ((Appended.Posted) appended).seq());
                            }
                        });
    }

    /**
     * Tells the members the message mentions, on every connection, wherever they are: the first
     * {@link #MAX_MENTIONS_TOLD} named, so that one message cannot call a whole crowd.
     */
    private void tellMentioned(Post post, long seq) {
        Set<String> named = Mentions.in(post.text());
        if (named.isEmpty()) {
            return;
        }
        List<String> members;
        synchronized (this) {
            members = seam.everyone();
        }
        String frame = ServerFrames.mention(name, seq, post.from(), post.text());
        named.stream()
                .filter(user -> !user.equals(post.from()) && members.contains(user))
                .limit(MAX_MENTIONS_TOLD)
                .forEach(user -> parts.notices().tell(user, frame));
    }

    /**
     * The user is typing: the other members, on every instance, hear of it, unless its last typing
     * event is less than an interval old or the room is too crowded for presence events. Ephemeral:
     * if the engine cannot be told now, the next keystroke tells it.
     */
    void typing(ChatSession session) {
        long now = System.nanoTime();
        synchronized (this) {
            Long last = typingLetThrough.get(session.user());
            if (!seam.announcesPresence()
                    || (last != null && now - last < parts.typingInterval().toNanos())) {
                return;
            }
            typingLetThrough.put(session.user(), now);
        }
        whenFailed(
                parts.presence().typing(name, session.user(), parts.typingInterval()),
                "Typing of %s in %s not told: %s",
                session.user());
    }

    /**
     * The user has read the room up to {@code seq}, at most as far as it has been given: its
     * position moves there if that is forward, and each of its other connections in the room, on
     * every instance, hears of it.
     */
    void read(ChatSession session, long seq, Optional<String> id) {
        Optional<StreamPosition> position;
        synchronized (this) {
            position = seam.readPosition(seq);
        }
        if (position.isEmpty() || position.get().seq() == 0) {
            return; // nothing given out yet, so nothing read
        }
        String user = session.user();
        parts.readPositions()
                .advance(name, user, position.get())
                .whenComplete(
                        (moved, failure) -> {
                            if (failure != null) {
                                unavailable(session, "read position in " + name + " not kept", id);
                            } else if (moved) {
                                whenFailed(
                                        parts.presence()
                                                .read(
                                                        name,
                                                        user,
                                                        session.id(),
                                                        position.get().seq()),
                                        "Read position of %s in %s not told: %s",
                                        user);
                            }
                        });
    }

    /**
     * Logs a presence call that failed, for a user in this room: nothing waits for it, and the
     * engine puts things right by itself (an entry expires, the next keystroke tells again).
     */
    private void whenFailed(CompletionStage<Void> call, String format, String user) {
        call.whenComplete(
                (done, failure) -> {
                    if (failure != null) {
                        LOG.debugf(format, LogSafe.escaped(user), LogSafe.escaped(name), failure);
                    }
                });
    }

    /**
     * Edits, deletes or reacts to a message: once the broker rewrote it, every member gets the
     * event ({@code edited}, {@code deleted} or {@code reaction}) like a message, and {@code
     * whenApplied} runs; a refusal is answered to the connection alone.
     */
    void amend(
            ChatSession session, Amendment amendment, Optional<String> id, Runnable whenApplied) {
        CompletionStage<Amendment.Outcome> amended;
        synchronized (this) {
            amended =
                    lastAmendment
                            .handle((earlier, failure) -> amendment)
                            .thenCompose(parts.broker()::amend);
            lastAmendment = amended;
        }
        amended.whenComplete(
                (outcome, failure) -> {
                    if (failure != null) {
                        unavailable(session, "message not changed in " + name, id);
                    } else if (outcome instanceof Amendment.NotApplied refused) {
                        refuseAmendment(session, refused.reason(), amendment.seq(), id);
                    } else {
                        whenApplied.run();
                    }
                });
    }

    private void refuseAmendment(
            ChatSession session, Amendment.Refusal reason, long seq, Optional<String> id) {
        String message = "message " + seq + " of " + name;
        switch (reason) {
            case UNKNOWN_MESSAGE ->
                    parts.sender()
                            .refuse(
                                    session,
                                    ErrorCode.UNKNOWN_MESSAGE,
                                    message + " is not in the room's history",
                                    id);
            case NOT_YOURS ->
                    parts.sender()
                            .refuse(session, ErrorCode.NOT_YOURS, message + " is not yours", id);
            case WINDOW_CLOSED ->
                    parts.sender()
                            .refuse(
                                    session,
                                    ErrorCode.EDIT_WINDOW_CLOSED,
                                    message + " is too old to change",
                                    id);
            case DELETED ->
                    parts.sender()
                            .refuse(
                                    session,
                                    ErrorCode.MESSAGE_DELETED,
                                    message + " has been deleted",
                                    id);
            case TOO_MANY_REACTIONS ->
                    parts.sender()
                            .refuse(
                                    session,
                                    ErrorCode.TOO_MANY_REACTIONS,
                                    message
                                            + " has as many reactions as it may carry, or you"
                                            + " put as many on it as you may",
                                    id);
            case UNCHANGED -> {
                // Already as asked: a repeat, or a race with the user's other device.
            }
        }
    }

    /**
     * Answers the connection alone with a page of the room's history: up to {@code limit} messages
     * with a seq below {@code before}, oldest first. The page goes straight to the connection, not
     * through the room's stream: the client places its messages by seq.
     */
    void history(ChatSession session, long before, int limit, Optional<String> id) {
        parts.broker()
                .page(name, before, limit)
                .whenComplete(
                        (page, failure) -> {
                            if (failure != null) {
                                unavailable(session, "no history of " + name, id);
                            } else {
                                answerPage(session, page, id);
                            }
                        });
    }

    /** Catches up with the engine's history, if the room's stream broke or must be checked. */
    void catchUp() {
        Optional<StreamPosition> from;
        synchronized (this) {
            from = seam.startCatchUp();
        }
        from.ifPresent(
                position -> {
                    CompletionStage<Members> members =
                            parts.presence().members(name, Presence.ALL_NAMES);
                    parts.broker()
                            .history(name, Optional.of(position), parts.replayedOnJoin())
                            .thenCombine(members, RoomSeam.Snapshot::new)
                            .whenComplete(
                                    (snapshot, failure) -> {
                                        synchronized (this) {
                                            if (failure == null) {
                                                seam.caughtUp(snapshot);
                                            } else {
                                                seam.catchUpFailed();
                                                LOG.debugf(
                                                        "Room %s will catch up later: %s",
                                                        LogSafe.escaped(name), failure);
                                            }
                                        }
                                    });
                });
    }

    synchronized boolean needsCatchUp() {
        return seam.needsCatchUp();
    }

    /** The users with a connection here, whose presence entries this instance keeps alive. */
    synchronized List<String> localUsers() {
        return localConnections.users();
    }

    /** Everyone in the room, on any instance. */
    synchronized List<String> memberNames() {
        return seam.everyone();
    }

    /** How many of this instance's connections are members; a user may have several. */
    synchronized int connectionCount() {
        return seam.connectionCount();
    }

    /**
     * An event of the room, from the broker. A gap it reveals is caught up at once: with a store
     * that orders messages for several instances, the missing ones are already stored and were only
     * overtaken on their way.
     */
    private void on(RoomEvent event) {
        boolean gap;
        synchronized (this) {
            boolean wasDue = seam.needsCatchUp();
            seam.on(event);
            gap = !wasDue && seam.needsCatchUp();
        }
        if (gap) {
            catchUp();
        }
    }

    /**
     * A resend: the sender alone gets the original message, in its place in the room's stream here.
     */
    private void answerResend(ChatSession session, Post resent, Appended.AlreadyPosted earlier) {
        if (!earlier.text().equals(resent.digest().orElseThrow())) {
            parts.sender().refuse(session, ErrorCode.ID_REUSED, REUSED_ID, resent.id());
            return;
        }
        parts.metrics().messageDeduplicated();
        OutboundFrame original =
                OutboundFrame.of(
                        ServerFrames.message(
                                name,
                                earlier.seq(),
                                session.user(),
                                resent.text(),
                                earlier.ts(),
                                resent.id()));
        synchronized (this) {
            seam.acknowledge(session, earlier.epoch(), earlier.seq(), original);
        }
    }

    /**
     * Sends the page, without its oldest messages if all of them would take more than {@code
     * pageBytes}: a frame that large could take the connection's whole send queue and have it
     * dropped as a slow consumer. The client pages on from the oldest it got.
     */
    private void answerPage(ChatSession session, HistoryPage page, Optional<String> id) {
        List<String> frames = newestWithin(page.frames(), parts.pageBytes());
        boolean older = page.more() || frames.size() < page.frames().size();
        parts.sender()
                .send(
                        session,
                        ServerFrames.history(
                                name, page.epoch(), frames, page.firstSeq(), older, id));
    }

    /**
     * The newest of the frames (oldest first) whose UTF-8 sizes add up to at most {@code budget}
     * bytes, and the newest one whatever its size: it went out live as well.
     */
    private static List<String> newestWithin(List<String> frames, long budget) {
        long bytes = 0;
        int from = frames.size();
        while (from > 0) {
            bytes += utf8Length(frames.get(from - 1));
            if (bytes > budget && from < frames.size()) {
                break;
            }
            from--;
        }
        return frames.subList(from, frames.size());
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // A surrogate pair is four bytes, two per half.
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    private void unavailable(ChatSession session, String what, Optional<String> id) {
        parts.sender()
                .refuse(
                        session,
                        ErrorCode.UNAVAILABLE,
                        what + ": the backplane or the store is unreachable, try again shortly",
                        id);
    }

    @Override
    public String idOf(ChatSession connection) {
        return connection.id();
    }

    @Override
    public String userOf(ChatSession connection) {
        return connection.user();
    }

    @Override
    public OutboundFrame encode(String frame) {
        return OutboundFrame.of(frame);
    }

    @Override
    public void send(ChatSession connection, OutboundFrame frame) {
        parts.sender().send(connection, frame);
    }

    @Override
    public void sendToAll(Collection<ChatSession> connections, OutboundFrame frame) {
        FrameSender sender = parts.sender();
        for (ChatSession connection : connections) {
            sender.send(connection, frame);
        }
    }

    @Override
    public void messageDelivered(int connections) {
        parts.metrics().messagesDelivered(connections);
    }
}

package dev.quarkchat.engine;

import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.StoredMessage;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The broker of a single instance ({@code chat.backplane=none}): a room's sequence lives here while
 * this instance has a subscriber for it, and is forgotten when the subscription closes (its last
 * member left), so memory follows the live rooms only and a room that comes back starts a new
 * epoch. Everything completes before the call returns: a published message has reached the
 * subscriber by then.
 *
 * <p>A room's messages are numbered, kept and handed to its subscriber under the room's lock, which
 * makes its seq gap-free and its events come in seq order. The subscriber must not call the broker
 * back while holding a lock of its own that it also takes for events.
 */
public final class MemoryBroker implements Broker {

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final HistoryStore history;
    private final IdempotencyKeys sentIds;

    /** One room's sequence, in one epoch, and who hears of it. */
    private final class Channel implements Subscription {
        private final String room;
        private final String epoch = Epochs.next();
        private final Consumer<RoomEvent> subscriber;
        private long lastSeq;

        private Channel(String room, Consumer<RoomEvent> subscriber) {
            this.room = room;
            this.subscriber = subscriber;
        }

        @Override
        public void close() {
            if (channels.remove(room, this)) {
                history.forget(room, epoch);
            }
        }
    }

    public MemoryBroker(HistoryStore history, IdempotencyKeys sentIds) {
        this.history = history;
        this.sentIds = sentIds;
    }

    @Override
    public void start(Runnable streamResumed) {
        // The stream never breaks: nothing to resume.
    }

    @Override
    public Subscription subscribe(String room, Consumer<RoomEvent> events) {
        Channel channel = new Channel(room, events);
        Channel earlier = channels.put(room, channel);
        if (earlier != null) {
            history.forget(room, earlier.epoch);
        }
        return channel;
    }

    @Override
    public CompletionStage<Appended> publish(Post post) {
        Channel channel = channels.get(post.room());
        if (channel == null) {
            return CompletableFuture.failedFuture(notServed(post.room()));
        }
        synchronized (channel) {
            if (post.id().isPresent()) {
                Optional<IdempotencyKeys.Posted> earlier =
                        sentIds.find(post.from(), post.room(), post.id().get(), channel.epoch);
                if (earlier.isPresent()) {
                    IdempotencyKeys.Posted posted = earlier.get();
                    return CompletableFuture.completedFuture(
                            new Appended.AlreadyPosted(
                                    posted.epoch(), posted.seq(), posted.ts(), posted.text()));
                }
            }
            long seq = ++channel.lastSeq;
            String frame = post.frame(seq);
            history.keep(post.room(), new StreamPosition(channel.epoch, seq), frame);
            channel.subscriber.accept(
                    new RoomEvent.Message(post.room(), channel.epoch, seq, frame));
            if (post.id().isPresent()) {
                sentIds.remember(
                        post.from(),
                        post.room(),
                        post.id().get(),
                        channel.epoch,
                        seq,
                        post.ts(),
                        post.digest().orElseThrow());
            }
            return CompletableFuture.completedFuture(new Appended.Posted(channel.epoch, seq));
        }
    }

    @Override
    public CompletionStage<Amendment.Outcome> amend(Amendment amendment) {
        String room = amendment.room();
        Channel channel = channels.get(room);
        if (channel == null) {
            // Nobody is in the room here: its history went with its epoch.
            return CompletableFuture.completedFuture(
                    new Amendment.NotApplied(Amendment.Refusal.UNKNOWN_MESSAGE));
        }
        synchronized (channel) {
            StreamPosition target = new StreamPosition(channel.epoch, amendment.seq());
            Optional<String> stored = history.held(room, target);
            Amendment.Verdict verdict =
                    stored.isEmpty()
                            ? new Amendment.Refused(Amendment.Refusal.UNKNOWN_MESSAGE)
                            : amendment.decide().apply(stored.get());
            if (verdict instanceof Amendment.Refused refused) {
                return CompletableFuture.completedFuture(
                        new Amendment.NotApplied(refused.reason()));
            }
            Amendment.Rewrite rewrite = (Amendment.Rewrite) verdict;
            if (rewrite.erasesEdits()) {
                history.rewriteAll(
                        room,
                        channel.epoch,
                        frame ->
                                ServerFrames.erasedEdit(frame, room, amendment.seq())
                                        .orElse(frame));
            }
            history.replace(room, target, rewrite.message());
            long at = ++channel.lastSeq;
            String event = rewrite.event().before() + at + rewrite.event().after();
            history.keep(room, new StreamPosition(channel.epoch, at), event);
            channel.subscriber.accept(new RoomEvent.Message(room, channel.epoch, at, event));
            return CompletableFuture.completedFuture(new Amendment.Applied(at));
        }
    }

    @Override
    public CompletionStage<HistorySnapshot> history(
            String room, Optional<StreamPosition> since, int latest) {
        Channel channel = channels.get(room);
        if (channel == null) {
            return CompletableFuture.failedFuture(notServed(room));
        }
        synchronized (channel) {
            return history.read(
                    room, new StreamPosition(channel.epoch, channel.lastSeq), since, latest);
        }
    }

    @Override
    public CompletionStage<HistoryPage> page(String room, long before, int limit) {
        Channel channel = channels.get(room);
        if (channel == null) {
            return CompletableFuture.failedFuture(notServed(room));
        }
        synchronized (channel) {
            return history.page(
                    room, new StreamPosition(channel.epoch, channel.lastSeq), before, limit);
        }
    }

    @Override
    public CompletionStage<Unread> unread(
            String room, StreamPosition read, long top, String reader) {
        Channel channel = channels.get(room);
        if (channel == null) {
            return CompletableFuture.completedFuture(Unread.NONE);
        }
        synchronized (channel) {
            long messages =
                    history.count(
                            room,
                            read.epoch(),
                            read.seq(),
                            top,
                            frame -> StoredMessage.unreadBy(frame, reader));
            long mentions =
                    history.count(
                            room,
                            read.epoch(),
                            read.seq(),
                            top,
                            frame -> StoredMessage.mentionsUnread(frame, reader));
            return CompletableFuture.completedFuture(new Unread(messages, mentions));
        }
    }

    @Override
    public CompletionStage<Optional<StreamPosition>> position(String room) {
        Channel channel = channels.get(room);
        if (channel == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        synchronized (channel) {
            return CompletableFuture.completedFuture(
                    Optional.of(new StreamPosition(channel.epoch, channel.lastSeq)));
        }
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Optional<Duration> catchUpInterval() {
        return Optional.empty();
    }

    /** Hands a presence event to the room's subscriber, if it has one. */
    public void announce(RoomEvent event) {
        Channel channel = channels.get(event.room());
        if (channel != null) {
            channel.subscriber.accept(event);
        }
    }

    private static UnknownRoomException notServed(String room) {
        return new UnknownRoomException(room);
    }
}

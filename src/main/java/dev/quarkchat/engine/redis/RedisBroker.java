package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.engine.Appended;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.Epochs;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.HistoryPage;
import dev.quarkchat.engine.HistorySnapshot;
import dev.quarkchat.engine.IdempotencyConfig;
import dev.quarkchat.engine.Post;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.engine.TextDigest;
import dev.quarkchat.engine.Unread;
import dev.quarkchat.protocol.ServerFrames;

import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The broker of instances that share rooms through Redis ({@code chat.backplane=redis}): a post is
 * appended by a script that gives it the room's next seq, keeps it in the room's capped log and
 * publishes it; every instance with members in the room hears it on the room's channel, in the
 * order Redis ran the scripts, and hands it to the room's subscriber here. History is read from the
 * log, so recovery works on any instance. While Redis is unreachable every operation fails with
 * {@link dev.quarkchat.engine.EngineUnavailableException}; once it is back, the rooms are told to
 * catch up.
 */
public final class RedisBroker implements Broker {

    /**
     * How many times an edit or deletion reads the message again after another one changed it
     * first; only a flood of changes to one message runs out.
     */
    private static final int MAX_AMEND_ATTEMPTS = 8;

    /** What {@code amend.lua} answers when the message changed since it was read. */
    private static final String CHANGED = "changed";

    private final RedisLink link;
    private final RedisBackplaneConfig config;
    private final HistoryConfig history;
    private final IdempotencyConfig idempotency;
    private final Map<String, RoomSubscription> subscriptions = new ConcurrentHashMap<>();

    /** A room's subscriber on this instance, and the hold on the room's channel it took. */
    private final class RoomSubscription implements Subscription {
        private final String room;
        private final Consumer<RoomEvent> events;
        private final CompletionStage<Void> ready;

        private RoomSubscription(String room, Consumer<RoomEvent> events) {
            this.room = room;
            this.events = events;
            this.ready = link.holdRoom(room);
        }

        @Override
        public void close() {
            if (subscriptions.remove(room, this)) {
                link.releaseRoom(room);
            }
        }

        @Override
        public CompletionStage<Void> ready() {
            return ready;
        }
    }

    public RedisBroker(
            RedisLink link,
            RedisBackplaneConfig config,
            HistoryConfig history,
            IdempotencyConfig idempotency) {
        this.link = link;
        this.config = config;
        this.history = history;
        this.idempotency = idempotency;
    }

    @Override
    public void start(Runnable streamResumed) {
        link.start(this::dispatch, streamResumed);
    }

    @Override
    public Subscription subscribe(String room, Consumer<RoomEvent> events) {
        RoomSubscription subscription = new RoomSubscription(room, events);
        subscriptions.put(room, subscription);
        return subscription;
    }

    /**
     * Appends the post; with an id, unless the user already posted that id in the room (in its
     * epoch, within {@code chat.idempotency.window}): then nothing is posted and that post comes
     * back.
     */
    @Override
    public CompletionStage<Appended> publish(Post post) {
        String room = post.room();
        List<String> keys = new ArrayList<>(List.of(link.key(room, "meta"), link.key(room, "log")));
        if (post.id().isPresent()) {
            keys.add(link.key(room, "ids:" + post.from()));
            keys.add(link.key(room, "id-ages:" + post.from()));
        }
        ServerFrames.SeqSlot frame = post.frameAroundSeq();
        List<String> args =
                List.of(
                        link.roomChannel(room),
                        room,
                        seconds(config.roomTtl()),
                        Epochs.next(),
                        String.valueOf(history.size()),
                        frame.before(),
                        frame.after(),
                        post.id().orElse(""),
                        post.digest().map(TextDigest::hex).orElse(""),
                        String.valueOf(post.ts().toEpochMilli()),
                        millis(idempotency.window()),
                        String.valueOf(idempotency.maxKeysPerUser()));
        return link.run(RedisScript.APPEND, keys, args)
                .map(RedisBroker::appendedOf)
                .subscribeAsCompletionStage();
    }

    /**
     * Reads the message, decides, and rewrites it if the log still holds what was read; else reads
     * again: an edit or deletion of the same message that came first, on any instance, is seen.
     */
    @Override
    public CompletionStage<Amendment.Outcome> amend(Amendment amendment) {
        return amend(amendment, MAX_AMEND_ATTEMPTS);
    }

    private CompletionStage<Amendment.Outcome> amend(Amendment amendment, int attemptsLeft) {
        String room = amendment.room();
        List<String> keys = List.of(link.key(room, "meta"), link.key(room, "log"));
        String seq = String.valueOf(amendment.seq());
        return link.run(RedisScript.HELD, keys, List.of(seq))
                .subscribeAsCompletionStage()
                .thenCompose(
                        held -> {
                            String epoch = held.get(0).toString();
                            String frame = held.get(1).toString();
                            Amendment.Verdict verdict =
                                    frame.isEmpty()
                                            ? new Amendment.Refused(
                                                    Amendment.Refusal.UNKNOWN_MESSAGE)
                                            : amendment.decide().apply(frame);
                            if (verdict instanceof Amendment.Refused refused) {
                                return CompletableFuture.completedFuture(
                                        new Amendment.NotApplied(refused.reason()));
                            }
                            Amendment.Rewrite rewrite = (Amendment.Rewrite) verdict;
                            List<String> args =
                                    List.of(
                                            link.roomChannel(room),
                                            room,
                                            seconds(config.roomTtl()),
                                            epoch,
                                            seq,
                                            frame,
                                            rewrite.message(),
                                            rewrite.event().before(),
                                            rewrite.event().after(),
                                            rewrite.erasesEdits()
                                                    ? ServerFrames.editedPrefix(
                                                            room, amendment.seq())
                                                    : "",
                                            String.valueOf(history.size()),
                                            Epochs.next());
                            return link.run(RedisScript.AMEND, keys, args)
                                    .subscribeAsCompletionStage()
                                    .thenCompose(
                                            reply -> {
                                                if (!CHANGED.equals(reply.toString())) {
                                                    return CompletableFuture.completedFuture(
                                                            new Amendment.Applied(reply.toLong()));
                                                }
                                                if (attemptsLeft <= 1) {
                                                    return CompletableFuture.failedFuture(
                                                            new EngineUnavailableException(
                                                                    "message "
                                                                            + seq
                                                                            + " kept changing"));
                                                }
                                                return amend(amendment, attemptsLeft - 1);
                                            });
                        });
    }

    @Override
    public CompletionStage<HistorySnapshot> history(
            String room, Optional<StreamPosition> since, int latest) {
        List<String> args =
                List.of(
                        seconds(config.roomTtl()),
                        Epochs.next(),
                        since.map(from -> String.valueOf(from.seq())).orElse(""),
                        since.map(StreamPosition::epoch).orElse(""),
                        String.valueOf(latest));
        return link.run(
                        RedisScript.HISTORY,
                        List.of(link.key(room, "meta"), link.key(room, "log")),
                        args)
                .map(
                        reply ->
                                new HistorySnapshot(
                                        reply.get(0).toString(),
                                        reply.get(1).toLong(),
                                        strings(reply.get(3)),
                                        reply.get(2).toInteger() == 1))
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<HistoryPage> page(String room, long before, int limit) {
        return link.run(
                        RedisScript.PAGE,
                        List.of(link.key(room, "meta"), link.key(room, "log")),
                        List.of(
                                String.valueOf(before),
                                String.valueOf(limit),
                                seconds(config.roomTtl()),
                                Epochs.next()))
                .map(
                        reply -> {
                            long seq = reply.get(1).toLong();
                            long firstSeq = reply.get(2).toLong();
                            List<String> frames = strings(reply.get(3));
                            long pageStart = Math.min(before, seq + 1) - frames.size();
                            return new HistoryPage(
                                    reply.get(0).toString(),
                                    firstSeq,
                                    frames,
                                    pageStart > firstSeq);
                        })
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Unread> unread(
            String room, StreamPosition read, long top, String reader) {
        return link.run(
                        RedisScript.UNREAD,
                        List.of(link.key(room, "meta"), link.key(room, "log")),
                        List.of(
                                read.epoch(),
                                String.valueOf(read.seq()),
                                String.valueOf(top),
                                reader))
                .map(reply -> new Unread(reply.get(0).toLong(), reply.get(1).toLong()))
                .subscribeAsCompletionStage();
    }

    @Override
    public CompletionStage<Optional<StreamPosition>> position(String room) {
        return link.run(RedisScript.POSITION, List.of(link.key(room, "meta")), List.of())
                .map(RedisBroker::streamPosition)
                .subscribeAsCompletionStage();
    }

    /** A script's {@code {epoch, seq}}, or {@code {}} for none. */
    static Optional<StreamPosition> streamPosition(Response reply) {
        return reply.size() == 0
                ? Optional.empty()
                : Optional.of(new StreamPosition(reply.get(0).toString(), reply.get(1).toLong()));
    }

    @Override
    public boolean available() {
        return link.isUp();
    }

    @Override
    public List<String> unreachableShards() {
        return link.unreachableShards();
    }

    @Override
    public Optional<Duration> catchUpInterval() {
        return Optional.of(config.checkInterval());
    }

    private void dispatch(RoomEvent event) {
        RoomSubscription subscription = subscriptions.get(event.room());
        if (subscription != null) {
            subscription.events.accept(event);
        }
    }

    private static Appended appendedOf(Response reply) {
        if (reply.size() == 2) {
            return new Appended.Posted(reply.get(0).toString(), reply.get(1).toLong());
        }
        return new Appended.AlreadyPosted(
                reply.get(0).toString(),
                reply.get(1).toLong(),
                Instant.ofEpochMilli(reply.get(2).toLong()),
                TextDigest.ofHex(reply.get(3).toString()));
    }

    static List<String> strings(Response array) {
        List<String> strings = new ArrayList<>(array.size());
        for (Response element : array) {
            strings.add(element.toString());
        }
        return strings;
    }

    static String seconds(Duration duration) {
        return String.valueOf(Math.max(1, duration.toSeconds()));
    }

    static String millis(Duration duration) {
        return String.valueOf(duration.toMillis());
    }
}

package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.engine.Appended;
import dev.quarkchat.engine.Broker;
import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.Fanout;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.HistoryPage;
import dev.quarkchat.engine.HistorySnapshot;
import dev.quarkchat.engine.Post;
import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.engine.TextDigest;
import dev.quarkchat.engine.Unread;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.StoredMessage;

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
 * The broker of the durable store ({@code chat.history.store=postgres}): PostgreSQL gives each
 * message its room's seq in the transaction that stores it, so the sequence has no gap whatever
 * crashes, and a message is published, through the {@link Fanout} (this instance, or Redis for
 * several), only once committed: an acknowledged message is a stored one.
 *
 * <p>Several instances commit to one room in turn (the room's row is locked), but may publish in
 * another order than they committed; a room that sees a gap catches up from the store, which holds
 * every seq below any published one. A resend whose original was committed but never published (its
 * instance died in between) publishes the original again, so that it reaches everyone.
 */
public final class PostgresBroker implements Broker {

    /**
     * How many times an edit or deletion reads the message again after another one changed it
     * first; only a flood of changes to one message runs out.
     */
    private static final int MAX_AMEND_ATTEMPTS = 8;

    private final PostgresStore store;
    private final Retention retention;
    private final Fanout fanout;
    private final HistoryConfig history;
    private final GroupCommit<CompletionStage<Appended>> commits;
    private final Map<String, Consumer<RoomEvent>> subscribers = new ConcurrentHashMap<>();

    public PostgresBroker(
            PostgresStore store, Retention retention, Fanout fanout, HistoryConfig history) {
        this.store = store;
        this.retention = retention;
        this.fanout = fanout;
        this.history = history;
        this.commits =
                new GroupCommit<>(
                        history.postgres().maxBatch(),
                        history.postgres().maxQueued(),
                        this::commitAndPublish);
    }

    @Override
    public void start(Runnable streamResumed) {
        store.start();
        retention.start();
        fanout.start(this::dispatch, streamResumed);
    }

    @Override
    public Subscription subscribe(String room, Consumer<RoomEvent> events) {
        subscribers.put(room, events);
        CompletionStage<Void> listening = fanout.listen(room);
        return new Subscription() {
            @Override
            public void close() {
                if (subscribers.remove(room, events)) {
                    fanout.stopListening(room);
                }
            }

            @Override
            public CompletionStage<Void> ready() {
                return listening;
            }
        };
    }

    @Override
    public CompletionStage<Appended> publish(Post post) {
        if (!available(post.room())) {
            return CompletableFuture.failedFuture(
                    new EngineUnavailableException("the store or the fan-out is unreachable"));
        }
        return commits.submit(post).thenCompose(published -> published);
    }

    /**
     * Reads the message, decides, and has the store rewrite it if it is still as read (else reads
     * again); once committed, the event is published like a message.
     */
    @Override
    public CompletionStage<Amendment.Outcome> amend(Amendment amendment) {
        if (!available(amendment.room())) {
            return CompletableFuture.failedFuture(
                    new EngineUnavailableException("the store or the fan-out is unreachable"));
        }
        return amend(amendment, MAX_AMEND_ATTEMPTS);
    }

    private CompletionStage<Amendment.Outcome> amend(Amendment amendment, int attemptsLeft) {
        String room = amendment.room();
        long seq = amendment.seq();
        return store.held(room, seq)
                .thenCompose(
                        held -> {
                            Amendment.Verdict verdict =
                                    held.flatMap(PostgresStore.Held::frame)
                                            .map(amendment.decide())
                                            .orElse(
                                                    new Amendment.Refused(
                                                            Amendment.Refusal.UNKNOWN_MESSAGE));
                            if (verdict instanceof Amendment.Refused refused) {
                                return CompletableFuture.completedFuture(
                                        new Amendment.NotApplied(refused.reason()));
                            }
                            Amendment.Rewrite rewrite = (Amendment.Rewrite) verdict;
                            StoredMessage rewritten =
                                    StoredMessage.read(rewrite.message()).orElseThrow();
                            CompletionStage<Optional<Long>> written =
                                    rewrite.reaction().isPresent()
                                            ? store.react(
                                                    room,
                                                    seq,
                                                    held.orElseThrow(),
                                                    rewritten.reactionsJson(),
                                                    rewrite.reaction().get(),
                                                    Instant.now())
                                            : store.amend(
                                                    room,
                                                    seq,
                                                    held.orElseThrow(),
                                                    rewritten.text(),
                                                    rewritten.editedAt().orElseGet(Instant::now));
                            return written.thenCompose(
                                    at -> {
                                        if (at.isPresent()) {
                                            return published(
                                                    (Amendment.Rewrite) verdict,
                                                    room,
                                                    held.orElseThrow().epoch(),
                                                    at.get());
                                        }
                                        if (attemptsLeft <= 1) {
                                            return CompletableFuture.failedFuture(
                                                    new EngineUnavailableException(
                                                            "message " + seq + " kept changing"));
                                        }
                                        return amend(amendment, attemptsLeft - 1);
                                    });
                        });
    }

    private CompletionStage<Amendment.Outcome> published(
            Amendment.Rewrite rewrite, String room, String epoch, long at) {
        String event = rewrite.event().before() + at + rewrite.event().after();
        return fanout.publish(new RoomEvent.Message(room, epoch, at, event))
                .thenApply(done -> new Amendment.Applied(at));
    }

    @Override
    public CompletionStage<HistorySnapshot> history(
            String room, Optional<StreamPosition> since, int latest) {
        return store.read(room, since, latest, history.postgres().maxRecovery());
    }

    @Override
    public CompletionStage<HistoryPage> page(String room, long before, int limit) {
        return store.page(room, before, limit);
    }

    @Override
    public CompletionStage<Unread> unread(
            String room, StreamPosition read, long top, String reader) {
        return store.unread(room, read, top, reader);
    }

    @Override
    public CompletionStage<Optional<StreamPosition>> position(String room) {
        return store.position(room);
    }

    @Override
    public boolean available() {
        return store.isUp() && fanout.available();
    }

    private boolean available(String room) {
        return store.isUp() && fanout.available(room);
    }

    @Override
    public List<String> unreachableShards() {
        return fanout.unreachableShards();
    }

    @Override
    public Optional<Duration> catchUpInterval() {
        return fanout.catchUpInterval();
    }

    /**
     * Commits the batch, then publishes its messages in seq order; each post's answer completes
     * once its message is published.
     */
    private CompletionStage<List<CompletionStage<Appended>>> commitAndPublish(List<Post> batch) {
        return store.append(batch)
                .thenApply(
                        appended -> {
                            List<CompletionStage<Appended>> answers =
                                    new ArrayList<>(appended.size());
                            for (PostgresStore.Appended one : appended) {
                                answers.add(publish(one));
                            }
                            return answers;
                        });
    }

    private CompletionStage<Appended> publish(PostgresStore.Appended stored) {
        Post post = stored.post();
        if (stored.posted()) {
            RoomEvent.Message message =
                    new RoomEvent.Message(
                            post.room(), stored.epoch(), stored.seq(), post.frame(stored.seq()));
            return fanout.publish(message)
                    .thenApply(done -> new Appended.Posted(stored.epoch(), stored.seq()));
        }
        // A deleted original has no text left: it goes out again as the tombstone it is.
        String text = stored.earlierText().orElse(post.text());
        Instant ts = stored.earlierTs().orElseThrow();
        RoomEvent.Message original =
                new RoomEvent.Message(
                        post.room(),
                        stored.epoch(),
                        stored.seq(),
                        stored.earlierText().isPresent()
                                ? ServerFrames.message(
                                        post.room(),
                                        stored.seq(),
                                        post.from(),
                                        text,
                                        ts,
                                        post.id(),
                                        post.service())
                                : ServerFrames.deletedMessage(
                                        post.room(), stored.seq(), post.from(), ts));
        return fanout.publish(original)
                .thenApply(
                        done ->
                                new Appended.AlreadyPosted(
                                        stored.epoch(),
                                        stored.seq(),
                                        stored.earlierTs().orElseThrow(),
                                        TextDigest.of(text)));
    }

    private void dispatch(RoomEvent event) {
        Consumer<RoomEvent> subscriber = subscribers.get(event.room());
        if (subscriber != null) {
            subscriber.accept(event);
        }
    }
}

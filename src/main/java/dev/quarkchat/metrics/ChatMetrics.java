package dev.quarkchat.metrics;

import dev.quarkchat.protocol.ErrorCode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The chat's own counters and timers, exposed at {@code /q/metrics}. Every series is created at
 * start with a zero (hence {@code @Startup}), so that {@code rate()} and alert rules see it before
 * the first event; labels come from fixed enums only (never user or room names), so cardinality
 * stays bounded.
 */
@Startup
@ApplicationScoped
public class ChatMetrics {

    /** Bucket bounds of the broadcast histogram: from a fraction of a millisecond to a second. */
    private static final Duration[] BROADCAST_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
                Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofMillis(500),
        Duration.ofSeconds(1)
    };

    /** Bucket bounds of the commit histogram: a local commit takes about a millisecond. */
    private static final Duration[] COMMIT_BUCKETS = {
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5)
    };

    /** Bucket bounds of the batch-size histogram, in messages per commit. */
    private static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

    private final MeterRegistry registry;
    private final Counter connectionsOpened;
    private final Map<DisconnectReason, Counter> connectionsClosed =
            new EnumMap<>(DisconnectReason.class);
    private final Map<DisconnectReason, Counter> socketsDropped =
            new EnumMap<>(DisconnectReason.class);
    private final Map<HandshakeRejection, Counter> handshakesRejected =
            new EnumMap<>(HandshakeRejection.class);
    private final Counter messagesReceived;
    private final Counter messagesDelivered;
    private final Counter messagesDeduplicated;
    private final Counter backplaneEventsReceived;
    private final Counter backplaneEventsWithoutMembers;
    private final Map<ErrorCode, Counter> messagesRejected = new EnumMap<>(ErrorCode.class);
    private final Timer broadcastDuration;
    private final Timer storeCommitDuration;
    private final DistributionSummary storeBatchMessages;
    private final Counter storeMessagesStored;
    private final Counter storeMessagesExpired;
    private final Map<StoreOperation, Counter> storeErrors = new EnumMap<>(StoreOperation.class);
    private final Map<TokenRefreshOutcome, Counter> tokenRefreshes =
            new EnumMap<>(TokenRefreshOutcome.class);
    private final Map<ModerationAction, Counter> moderationActions =
            new EnumMap<>(ModerationAction.class);

    ChatMetrics(MeterRegistry registry) {
        this.registry = registry;
        connectionsOpened =
                Counter.builder("chat.connections.opened")
                        .description("WebSocket connections accepted")
                        .register(registry);
        for (DisconnectReason reason : DisconnectReason.values()) {
            connectionsClosed.put(
                    reason,
                    Counter.builder("chat.connections.closed")
                            .description("WebSocket connections ended, by reason")
                            .tag("reason", reason.label())
                            .register(registry));
        }
        for (DisconnectReason reason :
                new DisconnectReason[] {
                    DisconnectReason.PONG_TIMEOUT, DisconnectReason.SLOW_CONSUMER
                }) {
            socketsDropped.put(
                    reason,
                    Counter.builder("chat.sockets.dropped")
                            .description(
                                    "Sockets the server dropped without a close handshake, by reason")
                            .tag("reason", reason.label())
                            .register(registry));
        }
        for (HandshakeRejection reason : HandshakeRejection.values()) {
            handshakesRejected.put(
                    reason,
                    Counter.builder("chat.handshakes.rejected")
                            .description(
                                    "WebSocket upgrades refused before the connection opened, by reason")
                            .tag("reason", reason.label())
                            .register(registry));
        }
        messagesReceived =
                Counter.builder("chat.messages.received")
                        .description("Text frames received from clients")
                        .register(registry);
        messagesDelivered =
                Counter.builder("chat.messages.delivered")
                        .description(
                                "Chat messages queued for a room member (one per member per message)")
                        .register(registry);
        messagesDeduplicated =
                Counter.builder("chat.messages.deduplicated")
                        .description(
                                "Resent messages answered with the original instead of being posted again")
                        .register(registry);
        backplaneEventsReceived =
                Counter.builder("chat.backplane.events.received")
                        .description("Room events this instance received from Redis")
                        .register(registry);
        backplaneEventsWithoutMembers =
                Counter.builder("chat.backplane.events.without.members")
                        .description(
                                "Room events received from Redis for a room with no member here (in a channel's grace)")
                        .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            messagesRejected.put(
                    code,
                    Counter.builder("chat.messages.rejected")
                            .description(
                                    "Client frames answered with an error frame, by error code")
                            .tag("code", code.wireName())
                            .register(registry));
        }
        broadcastDuration =
                Timer.builder("chat.broadcast.duration")
                        .description(
                                "From receipt of a send to its last write queued for the room's members")
                        .serviceLevelObjectives(BROADCAST_BUCKETS)
                        .register(registry);
        storeCommitDuration =
                Timer.builder("chat.store.commit.duration")
                        .description("From a batch of messages handed to PostgreSQL to its commit")
                        .serviceLevelObjectives(COMMIT_BUCKETS)
                        .register(registry);
        storeBatchMessages =
                DistributionSummary.builder("chat.store.batch.messages")
                        .description("Messages committed together in one transaction")
                        .serviceLevelObjectives(BATCH_BUCKETS)
                        .register(registry);
        storeMessagesStored =
                Counter.builder("chat.store.messages.stored")
                        .description("Messages committed to PostgreSQL")
                        .register(registry);
        storeMessagesExpired =
                Counter.builder("chat.store.messages.expired")
                        .description("Messages deleted by retention")
                        .register(registry);
        for (StoreOperation operation : StoreOperation.values()) {
            storeErrors.put(
                    operation,
                    Counter.builder("chat.store.errors")
                            .description(
                                    "PostgreSQL statements that failed or timed out, by operation")
                            .tag("operation", operation.label())
                            .register(registry));
        }
        for (TokenRefreshOutcome outcome : TokenRefreshOutcome.values()) {
            tokenRefreshes.put(
                    outcome,
                    Counter.builder("chat.token.refreshes")
                            .description("Tokens of refresh frames verified, by outcome")
                            .tag("outcome", outcome.label())
                            .register(registry));
        }
        for (ModerationAction action : ModerationAction.values()) {
            moderationActions.put(
                    action,
                    Counter.builder("chat.moderation.actions")
                            .description("Moderation actions carried out, by action")
                            .tag("action", action.label())
                            .register(registry));
        }
    }

    /**
     * Reports {@code value} as the gauge, read at each scrape; called once by the owner of that
     * state.
     */
    public void observe(LiveGauge gauge, IntSupplier value) {
        Gauge.builder(gauge.meterName(), value, IntSupplier::getAsInt)
                .description(gauge.description())
                .strongReference(true)
                .register(registry);
    }

    /**
     * Reports whether this instance is connected to a shard of the Redis backplane, with the
     * shard's name as label ({@code chat_backplane_up{shard="0-5460"}}); called once per shard.
     */
    public void observeShard(String shard, IntSupplier up) {
        Gauge.builder(LiveGauge.BACKPLANE_UP.meterName(), up, IntSupplier::getAsInt)
                .description(LiveGauge.BACKPLANE_UP.description())
                .tag("shard", shard)
                .strongReference(true)
                .register(registry);
    }

    /** A room event came in from Redis; {@code membersHere} is false if no member here wants it. */
    public void backplaneEventReceived(boolean membersHere) {
        backplaneEventsReceived.increment();
        if (!membersHere) {
            backplaneEventsWithoutMembers.increment();
        }
    }

    public void connectionOpened() {
        connectionsOpened.increment();
    }

    public void connectionClosed(DisconnectReason reason) {
        connectionsClosed.get(reason).increment();
    }

    /**
     * Counts a socket dropped for {@link DisconnectReason#PONG_TIMEOUT} or {@link
     * DisconnectReason#SLOW_CONSUMER}.
     */
    public void socketDropped(DisconnectReason reason) {
        Counter counter = socketsDropped.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException(reason + " is not a reason to drop a socket");
        }
        counter.increment();
    }

    public void handshakeRejected(HandshakeRejection reason) {
        handshakesRejected.get(reason).increment();
    }

    public void messageReceived() {
        messagesReceived.increment();
    }

    public void messagesDelivered(int members) {
        messagesDelivered.increment(members);
    }

    /**
     * Counts a {@code send} whose id its user had already posted in the room, answered without a
     * post.
     */
    public void messageDeduplicated() {
        messagesDeduplicated.increment();
    }

    public void messageRejected(ErrorCode code) {
        messagesRejected.get(code).increment();
    }

    public void moderated(ModerationAction action) {
        moderationActions.get(action).increment();
    }

    public void tokenRefreshed(TokenRefreshOutcome outcome) {
        tokenRefreshes.get(outcome).increment();
    }

    /**
     * Records a broadcast that began at {@code receivedNanos} ({@link System#nanoTime()}) and just
     * ended.
     */
    public void broadcastFinished(long receivedNanos) {
        broadcastDuration.record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records a commit of a batch of {@code batch} sends, {@code stored} of them new messages (the
     * others resends), that began at {@code startedNanos} ({@link System#nanoTime()}).
     */
    public void storeCommitted(int batch, int stored, long startedNanos) {
        storeCommitDuration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        storeBatchMessages.record(batch);
        storeMessagesStored.increment(stored);
    }

    public void storeFailed(StoreOperation operation) {
        storeErrors.get(operation).increment();
    }

    public void messagesExpired(int messages) {
        storeMessagesExpired.increment(messages);
    }
}

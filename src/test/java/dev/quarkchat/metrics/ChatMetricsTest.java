package dev.quarkchat.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.moderation.Moderation;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each metric of the table in docs/operations.md moves when its event happens, read back from
 * {@code /q/metrics}. (Dropped sockets are moved by KeepaliveTest and SlowConsumerTest, token
 * refreshes by TokenRefreshTest; the store's own events happen only with {@code
 * chat.history.store=postgres}, so here the store's calls are made on the bean itself.)
 */
@QuarkusTest
class ChatMetricsTest {

    private static final String ACTIVE = "chat_connections_active";
    private static final String OPENED = "chat_connections_opened_total";
    private static final String CLOSED_BY_CLIENT =
            "chat_connections_closed_total{reason=\"client_closed\"}";
    private static final String CLOSED_FOR_PROTOCOL =
            "chat_connections_closed_total{reason=\"protocol_violation\"}";
    private static final String REJECTED_UNAUTHENTICATED =
            "chat_handshakes_rejected_total{reason=\"unauthenticated\"}";
    private static final String RECEIVED = "chat_messages_received_total";
    private static final String DELIVERED = "chat_messages_delivered_total";
    private static final String REJECTED_INVALID_JSON =
            "chat_messages_rejected_total{code=\"invalid_json\"}";
    private static final String DEDUPLICATED = "chat_messages_deduplicated_total";
    private static final String IDEMPOTENCY_KEYS = "chat_idempotency_keys";
    private static final String ROOMS = "chat_rooms_active";
    private static final String BROADCASTS = "chat_broadcast_duration_seconds_count";
    private static final String COMMITS = "chat_store_commit_duration_seconds";
    private static final String BATCHES = "chat_store_batch_messages";
    private static final String STORED = "chat_store_messages_stored_total";
    private static final String EXPIRED = "chat_store_messages_expired_total";
    private static final String STORE_UP = "chat_store_up";
    private static final Pattern BUCKET_BOUND = Pattern.compile("_bucket\\{le=\"([^\"]+)\"}");

    @TestHTTPResource("/")
    URI base;

    @Inject ChatMetrics chatMetrics;

    @Inject Moderation moderation;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void connectionsAreCountedWhenTheyOpenAndWhenTheyClose() {
        double active = metrics.value(ACTIVE);
        double opened = metrics.value(OPENED);
        double closedByClient = metrics.value(CLOSED_BY_CLIENT);

        ChatClient client = ChatClient.connect(base, TestTokens.valid("counted"));
        assertThat(metrics.value(ACTIVE)).isEqualTo(active + 1);
        assertThat(metrics.value(OPENED)).isEqualTo(opened + 1);

        client.close();
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> metrics.value(CLOSED_BY_CLIENT) == closedByClient + 1);
        assertThat(metrics.value(ACTIVE)).isEqualTo(active);
    }

    @Test
    void aProtocolViolationIsItsOwnCloseReason() {
        double closed = metrics.value(CLOSED_FOR_PROTOCOL);
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("binary-sender"))) {
            client.sendBinary(new byte[] {0});
            client.awaitClose();
        }
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> metrics.value(CLOSED_FOR_PROTOCOL) == closed + 1);
    }

    @Test
    void refusedHandshakesAreCountedByReason() {
        double rejected = metrics.value(REJECTED_UNAUTHENTICATED);
        int refusals = 5;
        for (int i = 0; i < refusals; i++) {
            ChatClient.rejectedStatus(
                    ChatClient.handshake(base).header("Authorization", "Bearer forged-" + i));
        }

        assertThat(metrics.value(REJECTED_UNAUTHENTICATED)).isEqualTo(rejected + refusals);
    }

    @Test
    void messagesAreCountedOnReceiptDeliveryAndRejection() {
        try (ChatClient ann = ChatClient.connect(base, TestTokens.valid("m-ann")).join("metered");
                ChatClient ben =
                        ChatClient.connect(base, TestTokens.valid("m-ben")).join("metered")) {
            double received = metrics.value(RECEIVED);
            double delivered = metrics.value(DELIVERED);
            double broadcasts = metrics.value(BROADCASTS);
            double rejected = metrics.value(REJECTED_INVALID_JSON);

            ann.send("metered", "counted twice: once per member", "m-1");
            ben.awaitMessage("m-1");
            ann.sendText("not json");
            ann.awaitAnyError();

            assertThat(metrics.value(RECEIVED)).isEqualTo(received + 2);
            assertThat(metrics.value(DELIVERED)).isEqualTo(delivered + 2);
            assertThat(metrics.value(BROADCASTS)).isEqualTo(broadcasts + 1);
            assertThat(metrics.value(REJECTED_INVALID_JSON)).isEqualTo(rejected + 1);
        }
    }

    @Test
    void anIdIsRememberedAndItsResendCountedAsDeduplicatedNotDelivered() {
        try (ChatClient ann =
                ChatClient.connect(base, TestTokens.valid("d-ann")).join("deduplicated")) {
            double keys = metrics.value(IDEMPOTENCY_KEYS);
            double deduplicated = metrics.value(DEDUPLICATED);
            double broadcasts = metrics.value(BROADCASTS);

            ann.send("deduplicated", "only once", "d-1");
            ann.awaitMessage("d-1");
            assertThat(metrics.value(IDEMPOTENCY_KEYS)).isEqualTo(keys + 1);
            double delivered = metrics.value(DELIVERED);
            ann.send("deduplicated", "only once", "d-1");
            await().atMost(ChatClient.TIMEOUT).until(() -> ann.framesOfType("message").size() == 2);

            assertThat(metrics.value(DEDUPLICATED)).isEqualTo(deduplicated + 1);
            assertThat(metrics.value(DELIVERED)).isEqualTo(delivered);
            assertThat(metrics.value(BROADCASTS)).isEqualTo(broadcasts + 1);
            assertThat(metrics.value(IDEMPOTENCY_KEYS)).isEqualTo(keys + 1);
        }
    }

    @Test
    void roomsAreCountedWhileTheyHaveMembers() {
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("roomer"))) {
            client.awaitFrame(frame -> "joined".equals(frame.getString("type")));
            double rooms = metrics.value(ROOMS);

            client.join("counted-room");
            assertThat(metrics.value(ROOMS)).isEqualTo(rooms + 1);

            client.sendJson(new JsonObject().put("type", "leave").put("room", "counted-room"));
            await().atMost(ChatClient.TIMEOUT).until(() -> metrics.value(ROOMS) == rooms);
        }
    }

    @Test
    void everyLabelledSeriesExistsFromTheStartAndTheHistogramHasBuckets() {
        String scrape = metrics.scrape();

        assertThat(scrape)
                .contains(
                        "chat_sockets_dropped_total{reason=\"pong_timeout\"}",
                        "chat_sockets_dropped_total{reason=\"slow_consumer\"}",
                        "chat_handshakes_rejected_total{reason=\"forbidden\"}",
                        "chat_messages_rejected_total{code=\"not_joined\"}",
                        "chat_token_refreshes_total{outcome=\"accepted\"}",
                        "chat_token_refreshes_total{outcome=\"refused\"}",
                        "chat_broadcast_duration_seconds_bucket{le=\"0.001\"}",
                        "# TYPE chat_broadcast_duration_seconds histogram");
    }

    @Test
    void moderationActionsAreCountedByAction() {
        Map<ModerationAction, Double> before = new EnumMap<>(ModerationAction.class);
        for (ModerationAction action : ModerationAction.values()) {
            before.put(action, metrics.value(moderationActions(action)));
        }
        double closedByModerator =
                metrics.value("chat_connections_closed_total{reason=\"moderator\"}");

        try (ChatClient banned = ChatClient.connect(base, TestTokens.valid("mod-counted"))) {
            banned.send("lobby", "to be deleted", "mod-counted-1");
            long seq = banned.awaitMessage("mod-counted-1").getLong("seq");
            settle(moderation.deleteMessage("ops", "lobby", seq));
            settle(moderation.kick("ops", "lobby", "mod-counted", Optional.empty()));
            settle(moderation.ban("ops", "mod-counted", Optional.empty(), Optional.empty(), "r"));
            banned.awaitClose();
        }
        settle(moderation.lift("ops", "mod-counted", Optional.empty()));
        settle(moderation.disconnect("ops", "mod-counted", Optional.empty()));
        settle(moderation.disconnect("ops", "", Optional.empty()));

        for (ModerationAction action : ModerationAction.values()) {
            assertThat(metrics.value(moderationActions(action)))
                    .as(action.label() + ", refusals not counted")
                    .isEqualTo(before.get(action) + 1);
        }
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                metrics.value("chat_connections_closed_total{reason=\"moderator\"}")
                                        == closedByModerator + 1);
    }

    @Test
    void theStoreSeriesExistFromTheStartWithTheirLabelsAndBuckets() {
        String scrape = metrics.scrape();

        for (StoreOperation operation : StoreOperation.values()) {
            assertThat(scrape).contains(storeErrors(operation));
        }
        assertThat(scrape)
                .contains(
                        "# TYPE " + COMMITS + " histogram",
                        "# TYPE " + BATCHES + " histogram",
                        "# TYPE chat_store_messages_stored counter",
                        "# TYPE chat_store_messages_expired counter");
        assertThat(bucketBounds(scrape, COMMITS))
                .containsExactly(
                        0.00025,
                        0.0005,
                        0.001,
                        0.002,
                        0.005,
                        0.01,
                        0.025,
                        0.05,
                        0.1,
                        0.25,
                        0.5,
                        1.0,
                        5.0,
                        Double.POSITIVE_INFINITY);
        assertThat(bucketBounds(scrape, BATCHES))
                .containsExactly(
                        1.0,
                        2.0,
                        5.0,
                        10.0,
                        20.0,
                        50.0,
                        100.0,
                        200.0,
                        500.0,
                        1000.0,
                        Double.POSITIVE_INFINITY);
        assertThat(metrics.find(STORE_UP))
                .as("registered by the PostgreSQL store only: this service keeps memory")
                .isEmpty();
    }

    @Test
    void everyStoreMeterStartsAtZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ChatMetrics(registry);

        List<Meter> storeMeters =
                registry.getMeters().stream()
                        .filter(meter -> meter.getId().getName().startsWith("chat.store."))
                        .toList();
        assertThat(storeMeters.stream().map(meter -> meter.getId().getName()))
                .contains(
                        "chat.store.commit.duration",
                        "chat.store.batch.messages",
                        "chat.store.messages.stored",
                        "chat.store.messages.expired")
                .filteredOn("chat.store.errors"::equals)
                .hasSize(StoreOperation.values().length);
        assertThat(storeMeters)
                .allSatisfy(
                        meter ->
                                assertThat(meter.measure())
                                        .as(meter.getId().toString())
                                        .allSatisfy(
                                                measurement ->
                                                        assertThat(measurement.getValue())
                                                                .isZero()));
    }

    @Test
    void aCommitIsTimedAndCountsItsBatchAndTheMessagesItStored() {
        double commits = metrics.value(COMMITS + "_count");
        double commitSeconds = metrics.value(COMMITS + "_sum");
        double commitsUpTo250ms = metrics.value(COMMITS + "_bucket{le=\"0.25\"}");
        double commitsUpTo1s = metrics.value(COMMITS + "_bucket{le=\"1.0\"}");
        double batches = metrics.value(BATCHES + "_count");
        double batchedSends = metrics.value(BATCHES + "_sum");
        double batchesUpTo2 = metrics.value(BATCHES + "_bucket{le=\"2.0\"}");
        double batchesUpTo5 = metrics.value(BATCHES + "_bucket{le=\"5.0\"}");
        double stored = metrics.value(STORED);

        // Three sends, one of them a resend: two new messages. The commit began 300 ms ago, so it
        // lands above the 250 ms bound however fast this machine is.
        chatMetrics.storeCommitted(3, 2, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(300));

        assertThat(metrics.value(COMMITS + "_count")).isEqualTo(commits + 1);
        assertThat(metrics.value(COMMITS + "_sum")).isGreaterThanOrEqualTo(commitSeconds + 0.3);
        assertThat(metrics.value(COMMITS + "_bucket{le=\"0.25\"}")).isEqualTo(commitsUpTo250ms);
        assertThat(metrics.value(COMMITS + "_bucket{le=\"1.0\"}")).isEqualTo(commitsUpTo1s + 1);
        assertThat(metrics.value(BATCHES + "_count")).isEqualTo(batches + 1);
        assertThat(metrics.value(BATCHES + "_sum")).isEqualTo(batchedSends + 3);
        assertThat(metrics.value(BATCHES + "_bucket{le=\"2.0\"}")).isEqualTo(batchesUpTo2);
        assertThat(metrics.value(BATCHES + "_bucket{le=\"5.0\"}")).isEqualTo(batchesUpTo5 + 1);
        assertThat(metrics.value(STORED)).isEqualTo(stored + 2);
    }

    @Test
    void storeErrorsAreCountedByOperationAndExpiredMessagesByTheirNumber() {
        Map<StoreOperation, Double> errors = new EnumMap<>(StoreOperation.class);
        for (StoreOperation operation : StoreOperation.values()) {
            errors.put(operation, metrics.value(storeErrors(operation)));
        }
        double expired = metrics.value(EXPIRED);

        chatMetrics.storeFailed(StoreOperation.APPEND);
        chatMetrics.storeFailed(StoreOperation.APPEND);
        chatMetrics.storeFailed(StoreOperation.RETENTION);
        chatMetrics.messagesExpired(1000);
        chatMetrics.messagesExpired(7);

        for (StoreOperation operation : StoreOperation.values()) {
            double moved =
                    switch (operation) {
                        case APPEND -> 2;
                        case RETENTION -> 1;
                        default -> 0;
                    };
            assertThat(metrics.value(storeErrors(operation)))
                    .as(operation.label())
                    .isEqualTo(errors.get(operation) + moved);
        }
        assertThat(metrics.value(EXPIRED)).isEqualTo(expired + 1007);
    }

    @Test
    void theStoreUpGaugeReadsItsOwnersState() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChatMetrics fresh = new ChatMetrics(registry);
        int[] up = {1};

        fresh.observe(LiveGauge.STORE_UP, () -> up[0]);
        assertThat(registry.get("chat.store.up").gauge().value()).isEqualTo(1);
        up[0] = 0;
        assertThat(registry.get("chat.store.up").gauge().value()).isZero();
    }

    @Test
    void websocketsNextPerFrameMetricsAreOffSoBroadcastsStayCheap() {
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("ws-metrics"))) {
            client.send("lobby", "hello", "wsm-1");
            client.awaitMessage("wsm-1");
        }

        String scrape = metrics.scrape();
        assertThat(scrape).doesNotContainPattern("(?m)^quarkus_websockets_server_\\w+");
        assertThat(metrics.value("chat_messages_delivered_total")).isPositive();
    }

    private static String moderationActions(ModerationAction action) {
        return "chat_moderation_actions_total{action=\"" + action.label() + "\"}";
    }

    private static void settle(CompletionStage<?> outcome) {
        try {
            outcome.toCompletableFuture().get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("No outcome within " + ChatClient.TIMEOUT, e);
        }
    }

    private static String storeErrors(StoreOperation operation) {
        return "chat_store_errors_total{operation=\"" + operation.label() + "\"}";
    }

    /** The {@code le} bounds of a histogram's buckets in a scrape, in the order listed. */
    private static List<Double> bucketBounds(String scrape, String histogram) {
        return scrape.lines()
                .filter(line -> line.startsWith(histogram + "_bucket{"))
                .map(
                        line -> {
                            Matcher bound = BUCKET_BOUND.matcher(line);
                            assertThat(bound.find()).as(line).isTrue();
                            return "+Inf".equals(bound.group(1))
                                    ? Double.POSITIVE_INFINITY
                                    : Double.parseDouble(bound.group(1));
                        })
                .toList();
    }
}

package dev.quarkchat.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * Each metric of the table in docs/operations.md moves when its event happens, read back from
 * {@code /q/metrics}. (Dropped sockets are moved by KeepaliveTest and SlowConsumerTest, token
 * refreshes by TokenRefreshTest.)
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

    @TestHTTPResource("/")
    URI base;

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
    void websocketsNextPerFrameMetricsAreOffSoBroadcastsStayCheap() {
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("ws-metrics"))) {
            client.send("lobby", "hello", "wsm-1");
            client.awaitMessage("wsm-1");
        }

        String scrape = metrics.scrape();
        assertThat(scrape).doesNotContainPattern("(?m)^quarkus_websockets_server_\\w+");
        assertThat(metrics.value("chat_messages_delivered_total")).isPositive();
    }
}

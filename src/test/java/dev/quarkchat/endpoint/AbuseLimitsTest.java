package dev.quarkchat.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

/**
 * Flooding, hoarding rooms and hoarding connections each meet a limit, and the others are not
 * disturbed.
 */
@QuarkusTest
@TestProfile(AbuseLimitsTest.TightLimits.class)
class AbuseLimitsTest {

    /** Limits small enough to reach in a test. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.rate-limit.messages-per-second", "1",
                    "chat.rate-limit.burst", "5",
                    "chat.rate-limit.max-violations", "10",
                    "chat.max-rooms-per-connection", "3",
                    "chat.max-connections-per-user", "2");
        }
    }

    private static final int BURST = 5;
    private static final int MAX_VIOLATIONS = 10;

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void aFloodGetsRateLimitedThenClosedWith1008WhileOthersKeepTalking() {
        double abuse = metrics.value("chat_connections_closed_total{reason=\"abuse\"}");
        try (ChatClient flooder = ChatClient.connect(base, TestTokens.valid("flooder"));
                ChatClient neighbour = ChatClient.connect(base, TestTokens.valid("neighbour"))) {
            for (int i = 0; i < BURST; i++) {
                flooder.send("lobby", "within the burst", "f-" + i);
            }
            flooder.send("lobby", "one too many", "f-over");

            assertThat(
                            flooder.awaitFrame(
                                            frame -> "rate_limited".equals(frame.getString("code")))
                                    .getString("type"))
                    .isEqualTo("error");
            neighbour.awaitMessage("f-" + (BURST - 1));
            for (int i = 0; i < MAX_VIOLATIONS; i++) {
                flooder.sendText("{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"flood\"}");
            }
            assertThat(flooder.awaitClose()).isEqualTo(1008);
            assertThat(flooder.closeReason()).isEqualTo("rate limit exceeded");

            neighbour.send("lobby", "still fine here", "n-1");
            neighbour.awaitMessage("n-1");
            assertThat(neighbour.frames())
                    .noneMatch(frame -> "f-over".equals(frame.getString("id")));
        }
        assertThat(metrics.value("chat_connections_closed_total{reason=\"abuse\"}"))
                .isEqualTo(abuse + 1);
    }

    @Test
    void historyFramesDrawOnTheSameRateLimitAsAnyFrame() {
        try (ChatClient reader = ChatClient.connect(base, TestTokens.valid("history-reader"))) {
            reader.awaitFrame(frame -> "joined".equals(frame.getString("type")));
            for (int i = 0; i < BURST; i++) {
                reader.sendJson(history("lobby", "hr-" + i));
            }
            reader.sendJson(history("lobby", "hr-over"));

            assertThat(reader.awaitError("hr-over").getString("code")).isEqualTo("rate_limited");
            for (int i = 0; i < BURST; i++) {
                String id = "hr-" + i;
                reader.awaitFrame(
                        frame ->
                                "history".equals(frame.getString("type"))
                                        && id.equals(frame.getString("id")));
            }
            assertThat(reader.framesOfType("history"))
                    .noneMatch(frame -> "hr-over".equals(frame.getString("id")));
        }
    }

    private static JsonObject history(String room, String id) {
        return new JsonObject().put("type", "history").put("room", room).put("id", id);
    }

    @Test
    void oneRoomMoreThanTheLimitIsRefused() {
        try (ChatClient hoarder =
                ChatClient.connect(base, TestTokens.valid("hoarder"))
                        .join("room-a")
                        .join("room-b")) {
            hoarder.sendJson(
                    new JsonObject().put("type", "join").put("room", "room-c").put("id", "r-1"));

            assertThat(hoarder.awaitError("r-1").getString("code")).isEqualTo("too_many_rooms");
            hoarder.join("room-b");
        }
    }

    @Test
    void aUsersConnectionOverTheLimitIsClosedWith1008() {
        try (ChatClient first = ChatClient.connect(base, TestTokens.valid("many"));
                ChatClient second = ChatClient.connect(base, TestTokens.valid("many"));
                ChatClient third =
                        ChatClient.open(
                                ChatClient.handshake(base)
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestTokens.valid("many")))) {
            assertThat(third.awaitClose()).isEqualTo(1008);
            assertThat(third.closeReason()).contains("too many connections");

            first.send("lobby", "the first two stay", "m-1");
            second.awaitMessage("m-1");
        }
    }
}

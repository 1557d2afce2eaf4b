package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A burst of upgrades from one address beyond its budget gets 429 before any token is checked. */
@QuarkusTest
@TestProfile(HandshakeRateLimitTest.SmallBudget.class)
class HandshakeRateLimitTest {

    private static final int BURST = 5;

    /** Five upgrades at once, then one a second. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.handshake-rate-limit.per-second",
                    "1",
                    "chat.handshake-rate-limit.burst",
                    Integer.toString(BURST));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void upgradesBeyondTheBurstGet429AndAreCounted() {
        Metrics metrics = Metrics.ofTestedService();
        double limited = metrics.value("chat_handshakes_rejected_total{reason=\"rate_limited\"}");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < BURST * 2; i++) {
            statuses.add(
                    ChatClient.rejectedStatus(
                            ChatClient.handshake(base)
                                    .header("Authorization", "Bearer forged-" + i)));
        }

        assertThat(statuses.subList(0, BURST - 1)).containsOnly(401);
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo(429);
        assertThat(metrics.value("chat_handshakes_rejected_total{reason=\"rate_limited\"}"))
                .isGreaterThan(limited);
        assertThat(
                        ChatClient.rejectedStatus(
                                ChatClient.handshake(base)
                                        .header(
                                                "Authorization",
                                                "Bearer " + TestTokens.valid("honest-but-late"))))
                .isEqualTo(429);
    }
}

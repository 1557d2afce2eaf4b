package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

/**
 * Cross-site WebSocket hijacking: a page of another origin cannot open a connection with its
 * visitor's token. (The test profile allows https://friend.example and
 * https://other-friend.example:8443, and missing Origins; ProductionBuildIT checks that production
 * refuses a missing Origin.)
 */
@QuarkusTest
class OriginCheckTest {

    private static final String FORBIDDEN = "chat_handshakes_rejected_total{reason=\"forbidden\"}";

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://evil.example",
                "https://friend.example.evil.example",
                "http://friend.example",
                "https://other-friend.example",
                "null",
                "not a url"
            })
    void aPageOfAnotherOriginGets403AndIsCounted(String origin) {
        double forbidden = metrics.value(FORBIDDEN);

        assertThat(ChatClient.rejectedStatus(handshake("victim").header("Origin", origin)))
                .isEqualTo(403);
        assertThat(metrics.value(FORBIDDEN)).isEqualTo(forbidden + 1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://friend.example",
                "https://FRIEND.example/",
                "https://other-friend.example:8443"
            })
    void anAllowedOriginConnects(String origin) {
        try (ChatClient client = ChatClient.open(handshake("friend").header("Origin", origin))) {
            client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        }
    }

    @Test
    void theServicesOwnOriginConnects() {
        String own = "http://" + base.getHost() + ":" + base.getPort();
        try (ChatClient client = ChatClient.open(handshake("own-page").header("Origin", own))) {
            client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        }
    }

    private ChatClient.Handshake handshake(String user) {
        return ChatClient.handshake(base)
                .header("Authorization", "Bearer " + TestTokens.valid(user));
    }
}

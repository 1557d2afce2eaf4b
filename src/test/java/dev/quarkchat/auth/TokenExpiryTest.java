package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A connection lives no longer than its token: at {@code exp} it is closed with 1008, saying why.
 */
@QuarkusTest
class TokenExpiryTest {

    private static final Duration SHORT_LIFE = Duration.ofSeconds(2);
    private static final String CLOSED = "chat_connections_closed_total{reason=\"token_expired\"}";

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void theConnectionIsClosedWith1008WhenItsTokenExpires() {
        double closed = metrics.value(CLOSED);
        // exp counts whole seconds
        Instant expiry = Instant.now().plus(SHORT_LIFE).truncatedTo(ChronoUnit.SECONDS);
        String token = Jwt.upn("short-lived").issuer(TestTokens.issuer()).expiresAt(expiry).sign();

        try (ChatClient client = ChatClient.connect(base, token)) {
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(Instant.now()).isAfterOrEqualTo(expiry);
            assertThat(client.closeReason()).contains("token expired");
        }
        assertThat(metrics.value(CLOSED)).isEqualTo(closed + 1);
    }
}

package dev.quarkchat.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.testing.Browser;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * The chat page in headless Chromium keeps its connection across token lifetimes: signed in through
 * {@code /dev/token}, it fetches a new token when the server says {@code expiring} and sends {@code
 * refresh}. Tokens here live {@value #TOKEN_SECONDS} s, so a profile of its own; ChatPageTest
 * covers the page without a way to renew its token (asked to sign in again).
 */
@Tag("e2e")
@QuarkusTest
@TestProfile(TokenRefreshPageTest.ShortLivedDevTokens.class)
class TokenRefreshPageTest {

    private static final int TOKEN_SECONDS = 6;
    private static final String ACCEPTED = "chat_token_refreshes_total{outcome=\"accepted\"}";

    /** Dev tokens that run out within the test, and a notice that comes before they do. */
    public static class ShortLivedDevTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "smallrye.jwt.new-token.lifespan",
                    String.valueOf(TOKEN_SECONDS),
                    "chat.token-expiry-notice",
                    (TOKEN_SECONDS - 2) + "s");
        }
    }

    @TestHTTPResource("/")
    URI page;

    @Inject ChatSessions sessions;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void thePageRefreshesItsTokenInBandAndStaysConnectedPastTheFirstOnesExpiry() {
        double accepted = metrics.value(ACCEPTED);
        try (Browser ivy = Browser.open(false).go(page)) {
            ivy.type("#user-name", "ivy");
            ivy.find("#user-name").sendKeys(Keys.ENTER);
            ivy.awaitText("#status", "connected as ivy");
            ChatSession connection =
                    ivy.await(
                            browser ->
                                    sessions.all().stream()
                                            .filter(session -> "ivy".equals(session.user()))
                                            .findFirst()
                                            .orElse(null));
            Instant firstExpiry = connection.credentials().tokenExpiry();

            // The sweep that closes this one at the first token's exp has looked at the page's
            // connection too.
            try (ChatClient witness =
                    ChatClient.connect(
                            page,
                            Jwt.upn("ivys-witness")
                                    .issuer(TestTokens.issuer())
                                    .expiresAt(firstExpiry)
                                    .sign())) {
                assertThat(witness.awaitClose()).isEqualTo(1008);
            }

            assertThat(Instant.now()).isAfterOrEqualTo(firstExpiry);
            assertThat(connection.credentials().tokenExpiry()).isAfter(firstExpiry);
            assertThat(sessions.all())
                    .filteredOn(session -> "ivy".equals(session.user()))
                    .containsExactly(connection);
            assertThat(ivy.find("#status").getText()).isEqualTo("connected as ivy");
            ivy.type("#message-text", "still here");
            ivy.find("#message-text").sendKeys(Keys.ENTER);
            ivy.awaitText("#messages", "still here");
        }
        assertThat(metrics.value(ACCEPTED)).isGreaterThan(accepted);
    }
}

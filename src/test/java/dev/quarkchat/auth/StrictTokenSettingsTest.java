package dev.quarkchat.auth;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What docs/security.md recommends where users can edit their {@code preferred_username}: names
 * only from {@code upn} or {@code sub}, tokens minted for an hour at most, and here a short maximum
 * name length.
 */
@QuarkusTest
@TestProfile(StrictTokenSettingsTest.StrictTokens.class)
class StrictTokenSettingsTest {

    private static final int MAX_NAME_LENGTH = 12;
    private static final Duration MAX_LIFETIME = Duration.ofHours(1);
    private static final String UNAUTHENTICATED =
            "chat_handshakes_rejected_total{reason=\"unauthenticated\"}";
    private static final String INVALID_USER_NAME =
            "chat_handshakes_rejected_total{reason=\"invalid_user_name\"}";

    public static class StrictTokens implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.user-name.claims",
                    "upn,sub",
                    "chat.user-name.max-length",
                    String.valueOf(MAX_NAME_LENGTH),
                    "smallrye.jwt.time-to-live",
                    String.valueOf(MAX_LIFETIME.toSeconds()));
        }
    }

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void anEditablePreferredUsernameIsIgnoredAndTheSubjectUsed() {
        JwtClaims claims = claims(Duration.ofMinutes(10));
        claims.setClaim("preferred_username", "admin\u202E");
        claims.setSubject("s-4711");

        try (ChatClient client = ChatClient.connect(base, TestTokens.signed(claims))) {
            assertThat(client.framesOfType("welcome").get(0).getString("user")).isEqualTo("s-4711");
        }
    }

    @Test
    void theUpnComesFirst() {
        String token =
                Jwt.upn("upn-user")
                        .subject("s-0815")
                        .issuer(TestTokens.issuer())
                        .expiresIn(600)
                        .sign();

        try (ChatClient client = ChatClient.connect(base, token)) {
            assertThat(client.framesOfType("welcome").get(0).getString("user"))
                    .isEqualTo("upn-user");
        }
    }

    @Test
    void aTokenWithOnlyAPreferredUsernameIsUnauthenticated() {
        JwtClaims claims = claims(Duration.ofMinutes(10));
        claims.setClaim("preferred_username", "alice");

        assertRefusedAsUnauthenticated(TestTokens.signed(claims));
    }

    @Test
    void aTokenMintedForLongerThanTheLimitIsUnauthenticated() {
        JwtClaims claims = claims(MAX_LIFETIME.plusMinutes(1));
        claims.setClaim("upn", "long-lived");

        assertRefusedAsUnauthenticated(TestTokens.signed(claims));
    }

    @Test
    void aTokenMintedForTheLimitConnects() {
        JwtClaims claims = claims(MAX_LIFETIME);
        claims.setClaim("upn", "hour-long");

        ChatClient.connect(base, TestTokens.signed(claims)).close();
    }

    /**
     * Without {@code iat} the lifetime is unknown; SmallRye JWT requires it with or without a
     * limit.
     */
    @Test
    void aTokenWithoutIssuedAtIsUnauthenticated() {
        JwtClaims claims = claims(Duration.ofMinutes(10));
        claims.unsetClaim("iat");
        claims.setClaim("upn", "ageless");

        assertRefusedAsUnauthenticated(TestTokens.signed(claims));
    }

    @Test
    void theMaximumNameLengthIsConfigurable() {
        double refused = metrics.value(INVALID_USER_NAME);
        String tooLong = "n".repeat(MAX_NAME_LENGTH + 1);

        assertThat(ChatClient.rejectedStatus(handshake(TestTokens.valid(tooLong)))).isEqualTo(422);
        assertThat(metrics.value(INVALID_USER_NAME)).isEqualTo(refused + 1);
        ChatClient.connect(base, TestTokens.valid("n".repeat(MAX_NAME_LENGTH))).close();
        given().queryParam("user", tooLong)
                .when()
                .get("/dev/token")
                .then()
                .statusCode(400)
                .body(containsString("longer than 12 characters"));
    }

    @Test
    void thePageReadsTheConfiguredRules() {
        given().when()
                .get("/user-name-rules")
                .then()
                .statusCode(200)
                .body("claims", equalTo(List.of("upn", "sub")))
                .body("maxLength", equalTo(MAX_NAME_LENGTH));
    }

    private void assertRefusedAsUnauthenticated(String token) {
        double refused = metrics.value(UNAUTHENTICATED);

        assertThat(ChatClient.rejectedStatus(handshake(token))).isEqualTo(401);
        assertThat(metrics.value(UNAUTHENTICATED)).isEqualTo(refused + 1);
    }

    /** Issued now by the test issuer, valid for {@code lifetime}, with no name claim yet. */
    private static JwtClaims claims(Duration lifetime) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestTokens.issuer());
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        return claims;
    }

    private ChatClient.Handshake handshake(String token) {
        return ChatClient.handshake(base).header("Authorization", "Bearer " + token);
    }
}

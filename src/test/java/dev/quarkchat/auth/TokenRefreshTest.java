package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A connection takes a new token in-band ({@code refresh}) and lives by it: its expiry and its
 * private-room grants. A refused token changes nothing. {@code expiring} warns once per token,
 * {@value #NOTICE_SECONDS} s ahead here.
 */
@QuarkusTest
@TestProfile(TokenRefreshTest.ShortNotice.class)
class TokenRefreshTest {

    private static final int NOTICE_SECONDS = 5;

    /** The production rate limit, which the test profile lifts. */
    private static final int BURST = 40;

    private static final String ACCEPTED = "chat_token_refreshes_total{outcome=\"accepted\"}";
    private static final String REFUSED = "chat_token_refreshes_total{outcome=\"refused\"}";

    /** A notice short enough to watch, and the production rate limit. */
    public static class ShortNotice implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.token-expiry-notice",
                    NOTICE_SECONDS + "s",
                    "chat.rate-limit.messages-per-second",
                    "20",
                    "chat.rate-limit.burst",
                    String.valueOf(BURST));
        }
    }

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void aRefreshedConnectionOutlivesItsFirstTokenAndIsToldItsNewExpiry() {
        double accepted = metrics.value(ACCEPTED);
        Instant firstExpiry = secondsFromNow(4);
        Instant renewedExpiry = secondsFromNow(600);
        try (ChatClient renewer = ChatClient.connect(base, token("renewer", firstExpiry));
                ChatClient unrenewed = ChatClient.connect(base, token("unrenewed", firstExpiry))) {
            refresh(renewer, token("renewer", renewedExpiry), "r-1");

            assertThat(renewer.awaitFrame(answerTo("refreshed", "r-1")).getLong("exp"))
                    .isEqualTo(renewedExpiry.getEpochSecond());
            // The sweep that closes the other connection at the first exp has looked at this one
            // too.
            assertThat(unrenewed.awaitClose()).isEqualTo(1008);
            assertThat(Instant.now()).isAfterOrEqualTo(firstExpiry);
            renewer.send("lobby", "still here", "r-2");
            renewer.awaitMessage("r-2");
            assertThat(renewer.closed()).isFalse();
        }
        assertThat(metrics.value(ACCEPTED)).isEqualTo(accepted + 1);
    }

    @Test
    void aRefusedTokenIsAnsweredByRefAndTheOldExpiryStillCloses() {
        double refused = metrics.value(REFUSED);
        double accepted = metrics.value(ACCEPTED);
        Instant expiry = secondsFromNow(NOTICE_SECONDS + 1);
        List<String> refusedTokens =
                List.of(
                        TestTokens.valid("somebody-else"),
                        TestTokens.fromAnotherIssuer("holder"),
                        TestTokens.expired("holder"),
                        TestTokens.unsigned("holder"),
                        TestTokens.signedWithAnotherKey("holder"),
                        "not-a-token");
        try (ChatClient holder = ChatClient.connect(base, token("holder", expiry))) {
            for (int i = 0; i < refusedTokens.size(); i++) {
                refresh(holder, refusedTokens.get(i), "bad-" + i);
                JsonObject error = holder.awaitError("bad-" + i);
                assertThat(error.getString("code"))
                        .as(refusedTokens.get(i))
                        .isEqualTo("invalid_token");
                assertThat(error.getString("message"))
                        .doesNotContain("Exception")
                        .doesNotContain("holder");
            }

            assertThat(holder.awaitClose()).isEqualTo(1008);
            assertThat(holder.closeReason()).contains("token expired");
            assertThat(Instant.now()).isAfterOrEqualTo(expiry);
            assertThat(holder.framesOfType("refreshed")).isEmpty();
        }
        assertThat(metrics.value(REFUSED)).isEqualTo(refused + refusedTokens.size());
        assertThat(metrics.value(ACCEPTED)).isEqualTo(accepted);
    }

    @Test
    void aRefreshThatNoLongerGrantsAPrivateRoomTakesTheMemberOutAndTheOthersSeeItLeave() {
        Instant expiry = secondsFromNow(600);
        String both = token("grant-ann", expiry, List.of("private-ops", "private-board"));
        try (ChatClient ann =
                        ChatClient.connect(base, both).join("private-ops").join("private-board");
                ChatClient bob =
                        ChatClient.connect(base, token("grant-bob", expiry, List.of("private-ops")))
                                .join("private-ops")) {
            String narrower =
                    Jwt.upn("grant-ann")
                            .issuer(TestTokens.issuer())
                            .groups(Set.of("room:private-board"))
                            .expiresAt(expiry)
                            .sign();
            refresh(ann, narrower, "r-3");

            JsonObject left =
                    ann.awaitFrame(
                            frame ->
                                    "left".equals(frame.getString("type"))
                                            && "private-ops".equals(frame.getString("room")));
            assertThat(left.getString("reason")).isEqualTo("access_revoked");
            bob.awaitFrame(
                    frame ->
                            "presence".equals(frame.getString("type"))
                                    && "leave".equals(frame.getString("event"))
                                    && "grant-ann".equals(frame.getString("user"))
                                    && "private-ops".equals(frame.getString("room")));
            JsonObject refreshed = ann.awaitFrame(answerTo("refreshed", "r-3"));
            assertThat(ann.frames().indexOf(left)).isLessThan(ann.frames().indexOf(refreshed));

            bob.send("private-ops", "after ann left", "r-4");
            bob.awaitMessage("r-4");
            ann.send("private-board", "still granted by group", "r-5");
            ann.awaitMessage("r-5");
            assertThat(ann.frames()).noneMatch(frame -> "r-4".equals(frame.getString("id")));
            ann.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "private-ops")
                            .put("id", "r-6"));
            assertThat(ann.awaitError("r-6").getString("code")).isEqualTo("forbidden");
        }
    }

    @Test
    void expiringArrivesOnceWhenLessThanTheNoticeIsLeft() {
        Instant expiry = secondsFromNow(NOTICE_SECONDS + 3);
        try (ChatClient client = ChatClient.connect(base, token("noticed", expiry))) {
            JsonObject expiring =
                    client.awaitFrame(frame -> "expiring".equals(frame.getString("type")));

            assertThat(Duration.between(Instant.now(), expiry))
                    .isLessThan(Duration.ofSeconds(NOTICE_SECONDS));
            assertThat(expiring.getLong("in")).isBetween(0L, (long) NOTICE_SECONDS);
            assertThat(client.awaitClose()).isEqualTo(1008);
            assertThat(client.framesOfType("expiring")).hasSize(1);
        }
    }

    @Test
    void expiringComesRightAfterWelcomeWhenTheTokenIsAlreadyWithinTheNotice() {
        try (ChatClient client =
                ChatClient.connect(base, token("late-comer", secondsFromNow(NOTICE_SECONDS - 1)))) {
            client.awaitFrame(frame -> "expiring".equals(frame.getString("type")));

            assertThat(client.frames().get(0).getString("type")).isEqualTo("welcome");
            assertThat(client.frames().get(1).getString("type")).isEqualTo("expiring");
        }
    }

    @Test
    void aRefreshToAnotherShortTokenIsNoticedAgainAndToALongOneIsNot() {
        try (ChatClient client =
                ChatClient.connect(
                        base, token("short-again", secondsFromNow(NOTICE_SECONDS - 1)))) {
            client.awaitFrame(frame -> "expiring".equals(frame.getString("type")));

            refresh(client, token("short-again", secondsFromNow(NOTICE_SECONDS)), "r-7");
            client.awaitFrame(answerTo("refreshed", "r-7"));
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> client.framesOfType("expiring").size() == 2);

            refresh(client, token("short-again", secondsFromNow(600)), "r-8");
            client.awaitFrame(answerTo("refreshed", "r-8"));
            // A notice for the new token would go out right after its refreshed, before this
            // message's echo.
            client.send("lobby", "barrier", "r-9");
            client.awaitMessage("r-9");
            assertThat(client.framesOfType("expiring")).hasSize(2);
        }
    }

    @Test
    void aFloodOfRefreshesIsRateLimitedAndEveryFrameIsAnswered() {
        int flood = 2 * BURST;
        try (ChatClient flooder =
                ChatClient.connect(base, token("refresh-flooder", secondsFromNow(600)))) {
            String fresh = token("refresh-flooder", secondsFromNow(600));
            for (int i = 0; i < flood; i++) {
                refresh(flooder, fresh, "f-" + i);
            }

            Predicate<JsonObject> answer =
                    frame ->
                            "refreshed".equals(frame.getString("type"))
                                    || "error".equals(frame.getString("type"));
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> flooder.frames().stream().filter(answer).count() == flood);
            assertThat(flooder.framesOfType("error"))
                    .filteredOn(error -> "rate_limited".equals(error.getString("code")))
                    .hasSizeGreaterThanOrEqualTo(flood - BURST);
            assertThat(flooder.framesOfType("refreshed")).isNotEmpty();
        }
    }

    private static void refresh(ChatClient client, String token, String id) {
        client.sendJson(new JsonObject().put("type", "refresh").put("token", token).put("id", id));
    }

    private static Predicate<JsonObject> answerTo(String type, String id) {
        return frame -> type.equals(frame.getString("type")) && id.equals(frame.getString("id"));
    }

    /** {@code exp} counts whole seconds. */
    private static Instant secondsFromNow(int seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }

    private static String token(String user, Instant expiry) {
        return Jwt.upn(user).issuer(TestTokens.issuer()).expiresAt(expiry).sign();
    }

    private static String token(String user, Instant expiry, List<String> rooms) {
        return Jwt.upn(user)
                .issuer(TestTokens.issuer())
                .claim("rooms", rooms)
                .expiresAt(expiry)
                .sign();
    }
}

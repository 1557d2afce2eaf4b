package dev.quarkchat;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.auth.HandshakeConfig;
import dev.quarkchat.engine.IdempotencyConfig;
import dev.quarkchat.protocol.CommandDecoder;
import dev.quarkchat.testing.Canaries;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Frames;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.PendingSocket;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Hostile clients, case by case, each with the outcome docs/protocol.md documents, and after each a
 * canary pair in the lobby that must still talk. With FrameValidationTest,
 * HandshakeAuthenticationTest, OriginCheckTest and AbuseLimitsTest this is the hostile-input suite.
 */
@QuarkusTest
class HostileInputTest {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final int RESERVED_BIT_1 = 0x40;
    private static final String ID_64 = "i".repeat(64);

    /** Room for a loaded machine on top of the head timeout, never part of what is checked. */
    private static final Duration SLACK = Duration.ofSeconds(8);

    @TestHTTPResource("/")
    URI base;

    @Inject HandshakeConfig handshake;

    @Inject IdempotencyConfig idempotency;

    @ConfigProperty(name = "chat.typing-interval")
    Duration typingInterval;

    private Canaries canaries;

    @BeforeEach
    void connectCanaries() {
        canaries = Canaries.connect(base, "canary");
    }

    @AfterEach
    void canariesStillTalk() {
        canaries.assertStillTalkingAndLeave();
    }

    static Stream<Arguments> forgedTokens() {
        return Stream.of(
                Arguments.of("alg none", unsigned()),
                Arguments.of(
                        "HS256 keyed with the public key (algorithm confusion)",
                        hmacWithPublicKey()),
                Arguments.of("RS512, an algorithm not configured", rs512()),
                Arguments.of(
                        "nbf in the future",
                        Jwt.upn("early")
                                .issuer(TestTokens.issuer())
                                .claim("nbf", Instant.now().plusSeconds(3600).getEpochSecond())
                                .expiresIn(7200)
                                .sign()),
                Arguments.of("16 KiB of garbage", "x".repeat(16 * 1024)),
                Arguments.of("three dots", "..."),
                Arguments.of("a valid token's header with another's payload", spliced()));
    }

    @ParameterizedTest(name = "{0} -> 401")
    @MethodSource("forgedTokens")
    void aForgedTokenGets401(String description, String token) {
        assertThat(
                        ChatClient.rejectedStatus(
                                ChatClient.handshake(base)
                                        .header("Authorization", "Bearer " + token)))
                .isEqualTo(401);
    }

    /**
     * The same forged tokens in a {@code refresh}; the 16 KiB one is over the token length limit,
     * see below.
     */
    static Stream<Arguments> forgedTokensOfRefreshableLength() {
        return forgedTokens()
                .filter(
                        forged ->
                                ((String) forged.get()[1]).length()
                                        <= CommandDecoder.MAX_TOKEN_LENGTH);
    }

    @ParameterizedTest(name = "refresh with {0} -> invalid_token")
    @MethodSource("forgedTokensOfRefreshableLength")
    void aForgedTokenInARefreshIsRefusedByRefAndChangesNothing(String description, String token) {
        try (ChatClient forger = ChatClient.connect(base, TestTokens.valid("forger"))) {
            forger.sendJson(
                    new JsonObject()
                            .put("type", "refresh")
                            .put("token", token)
                            .put("id", "forged"));

            JsonObject error = forger.awaitError("forged");
            assertThat(error.getString("code")).isEqualTo("invalid_token");
            assertThat(error.getString("message"))
                    .doesNotContain("Exception")
                    .doesNotContain("mallory");
            forger.send("lobby", "still the same connection", "after-forged");
            assertThat(forger.awaitMessage("after-forged").getString("from")).isEqualTo("forger");
            assertThat(forger.framesOfType("refreshed")).isEmpty();
        }
    }

    @Test
    void aRefreshTokenOverTheLengthLimitIsRefusedBeforeItIsRead() {
        Metrics metrics = Metrics.ofTestedService();
        String verified = "chat_token_refreshes_total{outcome=\"refused\"}";
        double refused = metrics.value(verified);
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("long-token"))) {
            String huge =
                    TestTokens.valid("long-token") + "x".repeat(CommandDecoder.MAX_TOKEN_LENGTH);
            client.sendJson(
                    new JsonObject().put("type", "refresh").put("token", huge).put("id", "huge"));

            assertThat(client.awaitError("huge").getString("code")).isEqualTo("invalid_token");
        }
        assertThat(metrics.value(verified)).as("never handed to the verifier").isEqualTo(refused);
    }

    @Test
    void aFloodOfRefreshesIsAnsweredFrameByFrame() {
        int flood = 100;
        try (ChatClient flooder = ChatClient.connect(base, TestTokens.valid("refresher"))) {
            String fresh = TestTokens.valid("refresher");
            for (int i = 0; i < flood; i++) {
                flooder.sendJson(
                        new JsonObject()
                                .put("type", "refresh")
                                .put("token", fresh)
                                .put("id", "rf-" + i));
            }

            await().atMost(ChatClient.TIMEOUT)
                    .until(
                            () ->
                                    flooder.framesOfType("refreshed").size()
                                                    + flooder.framesOfType("error").size()
                                            == flood);
            // While one is being verified, the next ones are refused: how many depends on the
            // verifier's speed.
            assertThat(flooder.framesOfType("error"))
                    .allSatisfy(
                            error -> {
                                assertThat(error.getString("code")).isEqualTo("rate_limited");
                                assertThat(error.getString("ref")).startsWith("rf-");
                            });
            assertThat(flooder.framesOfType("refreshed")).isNotEmpty();
        }
    }

    static Stream<Arguments> refusedUpgrades() {
        return Stream.of(
                Arguments.of("a forged token", "Bearer forged", "https://friend.example", 401),
                Arguments.of(
                        "another site",
                        "Bearer " + TestTokens.valid("visitor"),
                        "https://evil.example",
                        403),
                Arguments.of("a huge token", "Bearer " + "x".repeat(64 * 1024), null, 431),
                Arguments.of(
                        "a name with a right-to-left override",
                        "Bearer " + TestTokens.valid("\u202Enimda"),
                        null,
                        422),
                Arguments.of(
                        "a name with a newline",
                        "Bearer " + TestTokens.valid("eve\nINFO admin signed in"),
                        null,
                        422),
                Arguments.of(
                        "a name of 5,000 characters",
                        "Bearer " + TestTokens.valid("e".repeat(5000)),
                        null,
                        422));
    }

    @ParameterizedTest(name = "{0} -> {3}, with a body that reveals nothing")
    @MethodSource("refusedUpgrades")
    void aRefusedUpgradeAnswersWithoutInternals(
            String description, String authorization, String origin, int status)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization);
        if (origin != null) {
            headers.put("Origin", origin);
        }
        RawWebSocket.RefusedUpgrade refused = RawWebSocket.refusedUpgrade(base, headers);

        assertThat(refused.status()).isEqualTo(status);
        assertThat(refused.body())
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain("io.quarkus")
                .doesNotContain("io.vertx")
                .doesNotContain("dev.quarkchat");
    }

    @Test
    void aTokenLargerThanTheHeaderLimitGets431() {
        String huge = "x".repeat(64 * 1024);
        assertThat(
                        ChatClient.rejectedStatus(
                                ChatClient.handshake(base)
                                        .header("Authorization", "Bearer " + huge)))
                .isEqualTo(431);
    }

    static Stream<Arguments> hostileFrames() {
        return Stream.of(
                Arguments.of("a JSON number", "42", "invalid_json", null),
                Arguments.of("JSON true", "true", "invalid_json", null),
                Arguments.of("JSON null", "null", "invalid_json", null),
                Arguments.of(
                        "a byte order mark first",
                        "\uFEFF{\"type\":\"join\",\"room\":\"a\"}",
                        "invalid_json",
                        null),
                Arguments.of("white space only", " \n\t ", "invalid_json", null),
                Arguments.of(
                        "a duplicate text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"a\",\"text\":\"b\"}",
                        "invalid_json",
                        null),
                Arguments.of(
                        "17 levels deep",
                        "{\"type\":\"join\",\"room\":\"a\",\"x\":"
                                + "[".repeat(16)
                                + "]".repeat(16)
                                + "}",
                        "invalid_json",
                        null),
                Arguments.of(
                        "an upper-case type",
                        "{\"type\":\"JOIN\",\"room\":\"a\",\"id\":\"h-1\"}",
                        "unknown_type",
                        "h-1"),
                Arguments.of(
                        "an empty type",
                        "{\"type\":\"\",\"room\":\"a\",\"id\":\"h-2\"}",
                        "unknown_type",
                        "h-2"),
                Arguments.of(
                        "a type array",
                        "{\"type\":[\"join\"],\"room\":\"a\",\"id\":\"h-3\"}",
                        "unknown_type",
                        "h-3"),
                Arguments.of(
                        "a non-ASCII room",
                        "{\"type\":\"join\",\"room\":\"caf\u00e9\",\"id\":\"h-4\"}",
                        "invalid_room",
                        "h-4"),
                Arguments.of(
                        "a path in the room",
                        "{\"type\":\"join\",\"room\":\"../etc\",\"id\":\"h-5\"}",
                        "invalid_room",
                        "h-5"),
                Arguments.of(
                        "a NUL in the room",
                        "{\"type\":\"join\",\"room\":\"lobby\\u0000\",\"id\":\"h-6\"}",
                        "invalid_room",
                        "h-6"),
                Arguments.of(
                        "a newline after the room",
                        "{\"type\":\"join\",\"room\":\"lobby\\n\",\"id\":\"h-7\"}",
                        "invalid_room",
                        "h-7"),
                Arguments.of(
                        "a lone surrogate in the text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"\\ud800\",\"id\":\"h-8\"}",
                        "invalid_text",
                        "h-8"),
                Arguments.of(
                        "a numeric text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":12,\"id\":\"h-9\"}",
                        "invalid_text",
                        "h-9"),
                Arguments.of(
                        "a huge number as text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":1e999999,\"id\":\"h-10\"}",
                        "invalid_text",
                        "h-10"),
                Arguments.of(
                        "a huge number as id",
                        "{\"type\":\"join\",\"room\":\"a\",\"id\":1e400}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "a lone surrogate in the id",
                        "{\"type\":\"join\",\"room\":\"a\",\"id\":\"\\udc00\"}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "an id array",
                        "{\"type\":\"join\",\"room\":\"a\",\"id\":[\"x\"]}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "an id of 64 characters, the limit",
                        "{\"type\":\"join\",\"room\":\"A\",\"id\":\"" + ID_64 + "\"}",
                        "invalid_room",
                        ID_64),
                Arguments.of(
                        "an id of 65 characters",
                        "{\"type\":\"join\",\"room\":\"a\",\"id\":\"" + ID_64 + "x\"}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "a negative since",
                        "{\"type\":\"join\",\"room\":\"a\",\"since\":-1,\"id\":\"h-13\"}",
                        "invalid_since",
                        "h-13"),
                Arguments.of(
                        "a since as text",
                        "{\"type\":\"join\",\"room\":\"a\",\"since\":\"5\",\"id\":\"h-14\"}",
                        "invalid_since",
                        "h-14"),
                Arguments.of(
                        "a since too large for a long",
                        "{\"type\":\"join\",\"room\":\"a\",\"since\":1e30,\"id\":\"h-15\"}",
                        "invalid_since",
                        "h-15"),
                Arguments.of(
                        "a numeric epoch",
                        "{\"type\":\"join\",\"room\":\"a\",\"since\":1,\"epoch\":7,\"id\":\"h-16\"}",
                        "invalid_since",
                        "h-16"),
                Arguments.of(
                        "a before too large for a long",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"before\":1e30,\"id\":\"h-17\"}",
                        "invalid_before",
                        "h-17"),
                Arguments.of(
                        "a before one past the largest long",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"before\":9223372036854775808,\"id\":\"h-18\"}",
                        "invalid_before",
                        "h-18"),
                Arguments.of(
                        "a negative before",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"before\":-9223372036854775808,\"id\":\"h-19\"}",
                        "invalid_before",
                        "h-19"),
                Arguments.of(
                        "a limit array",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":[50],\"id\":\"h-20\"}",
                        "invalid_limit",
                        "h-20"),
                Arguments.of(
                        "a limit past an int",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":4294967297,\"id\":\"h-21\"}",
                        "invalid_limit",
                        "h-21"),
                Arguments.of(
                        "a duplicate before",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"before\":5,\"before\":6}",
                        "invalid_json",
                        null),
                Arguments.of(
                        "an edit seq with a fraction",
                        "{\"type\":\"edit\",\"room\":\"lobby\",\"seq\":1.5,\"text\":\"x\",\"id\":\"h-30\"}",
                        "invalid_seq",
                        "h-30"),
                Arguments.of(
                        "a delete seq one past the largest long",
                        "{\"type\":\"delete\",\"room\":\"lobby\",\"seq\":9223372036854775808,\"id\":\"h-31\"}",
                        "invalid_seq",
                        "h-31"),
                Arguments.of(
                        "a negative delete seq",
                        "{\"type\":\"delete\",\"room\":\"lobby\",\"seq\":-1,\"id\":\"h-32\"}",
                        "invalid_seq",
                        "h-32"),
                Arguments.of(
                        "a delete seq as an object",
                        "{\"type\":\"delete\",\"room\":\"lobby\",\"seq\":{\"n\":1},\"id\":\"h-33\"}",
                        "invalid_seq",
                        "h-33"),
                Arguments.of(
                        "a duplicate seq",
                        "{\"type\":\"delete\",\"room\":\"lobby\",\"seq\":1,\"seq\":2}",
                        "invalid_json",
                        null),
                Arguments.of(
                        "typing in a private room it has not joined",
                        "{\"type\":\"typing\",\"room\":\"private-x\",\"id\":\"h-40\"}",
                        "not_joined",
                        "h-40"),
                Arguments.of(
                        "typing with a room as an array",
                        "{\"type\":\"typing\",\"room\":[\"lobby\"],\"id\":\"h-41\"}",
                        "invalid_room",
                        "h-41"),
                Arguments.of(
                        "typing in a room shaped like an injection",
                        "{\"type\":\"typing\",\"room\":\"lobby\\\"},{\\\"type\\\":\\\"send\",\"id\":\"h-42\"}",
                        "invalid_room",
                        "h-42"),
                Arguments.of(
                        "a read position in a private room it has not joined",
                        "{\"type\":\"read\",\"room\":\"private-x\",\"seq\":1,\"id\":\"h-43\"}",
                        "not_joined",
                        "h-43"),
                Arguments.of(
                        "a read position as a string",
                        "{\"type\":\"read\",\"room\":\"lobby\",\"seq\":\"12\",\"id\":\"h-44\"}",
                        "invalid_seq",
                        "h-44"),
                Arguments.of(
                        "a read position past any long",
                        "{\"type\":\"read\",\"room\":\"lobby\",\"seq\":99999999999999999999999,\"id\":\"h-45\"}",
                        "invalid_seq",
                        "h-45"),
                Arguments.of(
                        "a read position with a room as an object",
                        "{\"type\":\"read\",\"room\":{\"name\":\"lobby\"},\"seq\":1,\"id\":\"h-46\"}",
                        "invalid_room",
                        "h-46"),
                Arguments.of(
                        "a join of a direct conversation's room",
                        "{\"type\":\"join\",\"room\":\"dm-0123456789abcdef0123456789abcdef01234567\",\"id\":\"h-47\"}",
                        "forbidden",
                        "h-47"),
                Arguments.of(
                        "a conversation with a user name holding a control character",
                        "{\"type\":\"dm\",\"user\":\"bob\\u0007\",\"id\":\"h-48\"}",
                        "invalid_user",
                        "h-48"),
                Arguments.of(
                        "a conversation with a user name as an array",
                        "{\"type\":\"dm\",\"user\":[\"bob\"],\"id\":\"h-49\"}",
                        "invalid_user",
                        "h-49"),
                Arguments.of(
                        "a conversation with a user name longer than any",
                        "{\"type\":\"dm\",\"user\":\"" + "b".repeat(300) + "\",\"id\":\"h-50\"}",
                        "invalid_user",
                        "h-50"),
                Arguments.of(
                        "a conversation with a bad recovery position",
                        "{\"type\":\"dm\",\"user\":\"bob\",\"since\":-1,\"epoch\":\"e\",\"id\":\"h-51\"}",
                        "invalid_since",
                        "h-51"),
                Arguments.of(
                        "a reaction in a private room it has not joined",
                        "{\"type\":\"react\",\"room\":\"private-x\",\"seq\":1,\"emoji\":\"👍\",\"id\":\"h-52\"}",
                        "not_joined",
                        "h-52"),
                Arguments.of(
                        "a reaction that is a word",
                        "{\"type\":\"react\",\"room\":\"lobby\",\"seq\":1,\"emoji\":\"lol\",\"id\":\"h-53\"}",
                        "invalid_reaction",
                        "h-53"),
                Arguments.of(
                        "a reaction carrying a script",
                        "{\"type\":\"react\",\"room\":\"lobby\",\"seq\":1,\"emoji\":\"👍<script>\",\"id\":\"h-54\"}",
                        "invalid_reaction",
                        "h-54"),
                Arguments.of(
                        "a reaction switched on with a number",
                        "{\"type\":\"react\",\"room\":\"lobby\",\"seq\":1,\"emoji\":\"👍\",\"on\":1,\"id\":\"h-55\"}",
                        "invalid_reaction",
                        "h-55"),
                Arguments.of(
                        "a reaction without a message",
                        "{\"type\":\"react\",\"room\":\"lobby\",\"emoji\":\"👍\",\"id\":\"h-56\"}",
                        "invalid_seq",
                        "h-56"),
                Arguments.of(
                        "an edit in a private room it has not joined",
                        "{\"type\":\"edit\",\"room\":\"private-x\",\"seq\":1,\"text\":\"x\",\"id\":\"h-34\"}",
                        "not_joined",
                        "h-34"),
                Arguments.of(
                        "the history of a private room it has not joined",
                        "{\"type\":\"history\",\"room\":\"private-x\",\"id\":\"h-22\"}",
                        "not_joined",
                        "h-22"),
                Arguments.of(
                        "a private room without the grant",
                        "{\"type\":\"join\",\"room\":\"private-x\",\"id\":\"h-11\"}",
                        "forbidden",
                        "h-11"),
                Arguments.of(
                        "a private room it has not joined",
                        "{\"type\":\"send\",\"room\":\"private-x\",\"text\":\"hi\",\"id\":\"h-12\"}",
                        "not_joined",
                        "h-12"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("hostileFrames")
    void aHostileFrameGetsItsErrorCode(String description, String frame, String code, String ref) {
        try (ChatClient attacker = ChatClient.connect(base, TestTokens.valid("attacker"))) {
            attacker.sendText(frame);

            JsonObject error = attacker.awaitAnyError();
            assertThat(error.getString("code")).isEqualTo(code);
            assertThat(error.getString("ref")).isEqualTo(ref);
        }
    }

    static Stream<Arguments> textsForwardedAsGiven() {
        return Stream.of(
                Arguments.of("control characters", "\u0000\u0007\u001b[31mred\u001b[0m"),
                Arguments.of("markup", "<img src=x onerror=alert(1)><script>alert(2)</script>"),
                Arguments.of("right-to-left override", "\u202Egnp.exe"),
                Arguments.of(
                        "emoji with joiners", "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67"),
                Arguments.of(
                        "JSON inside",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"nested\"}"));
    }

    @ParameterizedTest(name = "{0} -> forwarded as given")
    @MethodSource("textsForwardedAsGiven")
    void oddTextIsForwardedExactlyAsGiven(String description, String text) {
        String id = "odd-" + SEQUENCE.incrementAndGet();
        canaries.sender().send("lobby", text, id);

        assertThat(canaries.receiver().awaitMessage(id).getString("text")).isEqualTo(text);
    }

    @Test
    void unknownHugeAndDeepFieldsAreIgnored() {
        try (ChatClient client = ChatClient.connect(base, TestTokens.valid("odd-fields"))) {
            client.sendText(
                    "{\"type\":\"join\",\"room\":\"odd\",\"n\":1e999999,\"deep\":"
                            + "[".repeat(14)
                            + "]".repeat(14)
                            + ",\"big\":123456789012345678901234567890}");
            client.awaitFrame(
                    frame ->
                            "joined".equals(frame.getString("type"))
                                    && "odd".equals(frame.getString("room")));
        }
    }

    @Test
    void aFloodOfJoinsStopsAtTheRoomLimit() {
        try (ChatClient hoarder = ChatClient.connect(base, TestTokens.valid("joiner"))) {
            for (int i = 0; i < 100; i++) {
                hoarder.sendJson(new JsonObject().put("type", "join").put("room", "room-" + i));
            }
            hoarder.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "room-one-too-many")
                            .put("id", "j-101"));
            assertThat(hoarder.awaitError("j-101").getString("code")).isEqualTo("too_many_rooms");
            assertThat(hoarder.framesOfType("joined")).hasSize(100);
        }
    }

    @Test
    void aFloodOfMessagesReachesTheRoomWhole() {
        int flood = 500;
        try (ChatClient flooder = ChatClient.connect(base, TestTokens.valid("flood"))) {
            for (int i = 0; i < flood; i++) {
                flooder.send("lobby", "drop " + i, "drop-" + i);
            }
            canaries.receiver().awaitMessage("drop-" + (flood - 1));
            assertThat(canaries.receiver().framesOfType("message"))
                    .filteredOn(m -> "flood".equals(m.getString("from")))
                    .hasSize(flood);
        }
    }

    @Test
    void aFloodOfTypingReachesTheOthersOncePerInterval() {
        try (ChatClient typist = ChatClient.connect(base, TestTokens.valid("typist"))) {
            typist.awaitFrame(frame -> "joined".equals(frame.getString("type")));
            long started = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                typist.sendJson(new JsonObject().put("type", "typing").put("room", "lobby"));
            }
            typist.send("lobby", "done typing", "typed-1");
            canaries.receiver().awaitMessage("typed-1");

            long intervals = 1 + (System.nanoTime() - started) / typingInterval.toNanos();
            assertThat(canaries.receiver().frames())
                    .filteredOn(Frames.typing("lobby", "typist"))
                    .hasSizeBetween(1, (int) intervals);
            assertThat(typist.framesOfType("error")).isEmpty();
        }
    }

    @Test
    void aFloodOfReadPositionsMovesOnlyForwardAndReachesNoOtherUser() {
        try (ChatClient reader = ChatClient.connect(base, TestTokens.valid("flood-reader"));
                ChatClient readersPhone =
                        ChatClient.connect(base, TestTokens.valid("flood-reader"))) {
            reader.awaitFrame(frame -> "joined".equals(frame.getString("type")));
            readersPhone.awaitFrame(frame -> "joined".equals(frame.getString("type")));
            reader.send("lobby", "something to read", "read-1");
            long seq = reader.awaitMessage("read-1").getLong("seq");
            for (int i = 0; i < 200; i++) {
                reader.sendJson(
                        new JsonObject()
                                .put("type", "read")
                                .put("room", "lobby")
                                .put("seq", i % 2 == 0 ? seq : Long.MAX_VALUE - i));
            }
            readersPhone.awaitFrame(Frames.read("lobby", seq));

            // At most the room's latest message can have been read, and each step is forward.
            List<Long> told =
                    readersPhone.framesOfType("read").stream()
                            .map(frame -> frame.getLong("seq"))
                            .toList();
            assertThat(told).isSorted().doesNotHaveDuplicates().allMatch(at -> at >= seq);
            assertThat(reader.framesOfType("error")).isEmpty();
            assertThat(canaries.receiver().framesOfType("read")).isEmpty();
        }
    }

    @Test
    void aFloodOfDistinctIdsKeepsNoMoreOfThemThanTheUsersCap() {
        int cap = idempotency.maxKeysPerUser();
        int flood = cap + 100;
        Metrics metrics = Metrics.ofTestedService();
        double remembered = metrics.value("chat_idempotency_keys");
        try (ChatClient hoarder =
                ChatClient.connect(base, TestTokens.valid("id-hoarder")).join("ids")) {
            for (int i = 0; i < flood; i++) {
                hoarder.send("ids", "hoard " + i, "hoard-" + i);
            }
            hoarder.awaitMessage("hoard-" + (flood - 1));
            assertThat(metrics.value("chat_idempotency_keys"))
                    .isLessThanOrEqualTo(remembered + cap);

            // The newest ids are still remembered; the oldest were forgotten, so their resends are
            // posted anew.
            hoarder.send("ids", "hoard " + (flood - 1), "hoard-" + (flood - 1));
            hoarder.send("ids", "hoard 0", "hoard-0");
            JsonObject postedAgain =
                    hoarder.awaitFrame(
                            frame ->
                                    "hoard-0".equals(frame.getString("id"))
                                            && frame.getLong("seq") > flood);
            assertThat(postedAgain.getLong("seq")).isEqualTo(flood + 1L);
            String newest = "hoard-" + (flood - 1);
            assertThat(hoarder.framesOfType("message"))
                    .filteredOn(message -> newest.equals(message.getString("id")))
                    .hasSize(2)
                    .extracting(message -> message.getLong("seq"))
                    .containsOnly((long) flood);
        }
    }

    @Test
    void tooManyConnectionsForOneUserCloseTheExtraOneWith1008() {
        List<ChatClient> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                connections.add(ChatClient.connect(base, TestTokens.valid("hoarder-of-sockets")));
            }
            ChatClient extra =
                    ChatClient.open(
                            ChatClient.handshake(base)
                                    .header(
                                            "Authorization",
                                            "Bearer " + TestTokens.valid("hoarder-of-sockets")));
            connections.add(extra);
            assertThat(extra.awaitClose()).isEqualTo(1008);
        } finally {
            connections.forEach(ChatClient::close);
        }
    }

    static Stream<Arguments> brokenFrames() {
        return Stream.of(
                Arguments.of(
                        "a continuation with nothing to continue",
                        RawWebSocket.OPCODE_CONTINUATION,
                        true,
                        10),
                Arguments.of(
                        "a ping of 200 bytes (control frames carry 125 at most)",
                        RawWebSocket.OPCODE_PING,
                        true,
                        200),
                Arguments.of("a fragmented ping", RawWebSocket.OPCODE_PING, false, 4),
                Arguments.of("a reserved opcode", 0x3, true, 4));
    }

    static Stream<Arguments> oversizedMessages() {
        return Stream.of(
                Arguments.of("1 MiB of text in one frame", 1, 1024 * 1024L),
                Arguments.of("1 MiB of text in 256 continuation frames of 4 KiB", 256, 4 * 1024L),
                Arguments.of("a frame header announcing 2^62 bytes", 1, 1L << 62),
                Arguments.of("20,000 continuation frames of 1 byte", 20_000, 1L));
    }

    @ParameterizedTest(name = "{0} -> 1009")
    @MethodSource("oversizedMessages")
    void anOversizedMessageClosesWith1009(String description, int frames, long frameBytes)
            throws IOException {
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("oversized"))) {
            boolean serverReads = true;
            for (int i = 0; i < frames && serverReads; i++) {
                int opcode = i == 0 ? RawWebSocket.OPCODE_TEXT : RawWebSocket.OPCODE_CONTINUATION;
                serverReads =
                        raw.streamFrame(opcode, i == frames - 1, frameBytes, (byte) 'x')
                                == frameBytes;
            }

            assertThat(raw.readCloseCode()).isEqualTo(1009);
        }
    }

    @ParameterizedTest(name = "{0} -> dropped")
    @MethodSource("brokenFrames")
    void aBrokenFrameDropsTheConnection(String description, int opcode, boolean fin, int length)
            throws IOException {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'x');
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("breaker"))) {
            Optional<Integer> end =
                    raw.tryWriteFrame(opcode, fin, payload) ? raw.readUntilEnd() : Optional.empty();

            assertThat(end).as("close code; empty when dropped").isEmpty();
        }
    }

    /**
     * While per-message compression is offered (websockets-next's default), Netty's decoder lets
     * reserved bits through, so such a frame is read as it is: here, text that is not JSON.
     */
    @Test
    void aReservedBitIsReadAsAnOrdinaryFrame() throws IOException {
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("reserved"))) {
            raw.writeFrame(
                    RawWebSocket.OPCODE_TEXT | RESERVED_BIT_1,
                    true,
                    "oops".getBytes(StandardCharsets.UTF_8));

            assertThat(raw.readTextContaining("\"error\"")).contains("invalid_json");
        }
    }

    /**
     * The production defaults: a request head must arrive within chat.handshake.head-timeout (5 s).
     */
    @Test
    void aRequestHeadSentOneLineAtATimeIsCutOff() throws IOException {
        awaitEveryPortGuarded();
        try (PendingSocket slow = PendingSocket.open(base, "127.0.0.2")) {
            slow.startRequestHead();
            slow.dripHeaderLines(Duration.ofSeconds(1));

            assertThat(slow.readUntilClosed(handshake.headTimeout().plus(SLACK))).isEmpty();
        }
    }

    /**
     * The production defaults: one address holds at most chat.handshake.max-pending-per-address
     * (64) of them.
     */
    @Test
    void idleSocketsPastThePerAddressCapAreClosedAtOnce() throws IOException {
        awaitEveryPortGuarded();
        Metrics metrics = Metrics.ofTestedService();
        String refusedSeries = "chat_handshakes_rejected_total{reason=\"too_many_pending\"}";
        double refused = metrics.value(refusedSeries);
        List<PendingSocket> idle = new ArrayList<>();
        try {
            for (int i = 0; i <= handshake.maxPendingPerAddress(); i++) {
                idle.add(PendingSocket.open(base, "127.0.0.3"));
            }

            assertThat(
                            idle.get(idle.size() - 1)
                                    .readUntilClosed(handshake.headTimeout().plus(SLACK)))
                    .isEmpty();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value(refusedSeries) == refused + 1);
        } finally {
            for (PendingSocket socket : idle) {
                socket.close();
            }
        }
    }

    private static void awaitEveryPortGuarded() {
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                given().header("Connection", "close")
                                                .get("/q/health/ready")
                                                .statusCode()
                                        == 200);
    }

    private static String unsigned() {
        return TestTokens.unsigned("mallory");
    }

    private static String hmacWithPublicKey() {
        JsonWebSignature jws = jws(claims("mallory"), AlgorithmIdentifiers.HMAC_SHA256);
        String publicKeyPem =
                ConfigProvider.getConfig().getValue("mp.jwt.verify.publickey", String.class);
        jws.setKey(new HmacKey(publicKeyPem.getBytes(StandardCharsets.UTF_8)));
        jws.setDoKeyValidation(false);
        return serialize(jws);
    }

    private static String rs512() {
        return Jwt.upn("mallory")
                .issuer(TestTokens.issuer())
                .expiresIn(600)
                .jws()
                .algorithm(SignatureAlgorithm.RS512)
                .sign();
    }

    private static String spliced() {
        String[] honest = TestTokens.valid("honest").split("\\.", -1);
        String forgedClaims =
                base64(
                        "{\"iss\":\""
                                + TestTokens.issuer()
                                + "\",\"upn\":\"admin\",\"exp\":"
                                + Instant.now().plusSeconds(600).getEpochSecond()
                                + "}");
        return honest[0] + "." + forgedClaims + "." + honest[2];
    }

    private static JwtClaims claims(String user) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestTokens.issuer());
        claims.setClaim("upn", user);
        claims.setExpirationTimeMinutesInTheFuture(10);
        return claims;
    }

    private static JsonWebSignature jws(JwtClaims claims, String algorithm) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        return jws;
    }

    private static String serialize(JsonWebSignature jws) {
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.quarkchat.auth;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;

/**
 * The user name a token carries is checked before the upgrade: a name that breaks the rule
 * (dev.quarkchat.protocol .UserName) gets 422 and is counted; a valid one, whatever its script, is
 * used as is (in NFC) in every frame.
 */
@QuarkusTest
class UserNameValidationTest {

    private static final int UNAUTHORIZED = 401;
    private static final int INVALID_USER_NAME = 422;
    private static final String REFUSED =
            "chat_handshakes_rejected_total{reason=\"invalid_user_name\"}";
    private static final String ZOE = "zo\u00EB";
    private static final String WATANABE = "\u6E21\u8FBA";

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    static Stream<Arguments> badNames() {
        return Stream.of(
                Arguments.of("a 5,000-character name", "m".repeat(5000)),
                Arguments.of("a NUL", "mallory\0"),
                Arguments.of("a newline", "mallory\nINFO forged log line"),
                Arguments.of("a right-to-left override", "\u202Eyrollam"),
                Arguments.of("a zero width space", "mal\u200Blory"),
                Arguments.of("only spaces", "    "),
                Arguments.of("65 code points", "m".repeat(65)));
    }

    @ParameterizedTest(name = "{0}: 422, counted")
    @MethodSource("badNames")
    void aTokenWithABadNameIsRefusedBeforeTheUpgradeAndCounted(String description, String name) {
        double refused = metrics.value(REFUSED);

        assertThat(ChatClient.rejectedStatus(handshake(TestTokens.valid(name))))
                .isEqualTo(INVALID_USER_NAME);
        assertThat(metrics.value(REFUSED)).isEqualTo(refused + 1);
    }

    /**
     * SmallRye JWT itself refuses a standard name claim that is not a string, as unauthenticated.
     */
    @Test
    void aNameClaimThatIsNotAStringIsRefused() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestTokens.issuer());
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setClaim("preferred_username", List.of("mallory", "admin"));
        claims.setSubject("mallory");

        assertThat(ChatClient.rejectedStatus(handshake(TestTokens.signed(claims))))
                .isEqualTo(UNAUTHORIZED);
    }

    @Test
    void nonAsciiNamesShowExactlyAsTheyAreInEveryFrame() {
        try (ChatClient zoe = ChatClient.connect(base, TestTokens.valid(ZOE)).join("names");
                ChatClient watanabe = ChatClient.connect(base, TestTokens.valid(WATANABE))) {
            assertThat(zoe.framesOfType("welcome").get(0).getString("user")).isEqualTo(ZOE);

            watanabe.join("names");
            zoe.awaitFrame(
                    frame ->
                            "presence".equals(frame.getString("type"))
                                    && "names".equals(frame.getString("room"))
                                    && WATANABE.equals(frame.getString("user"))
                                    && "join".equals(frame.getString("event")));
            JsonObject joined =
                    watanabe.framesOfType("joined").stream()
                            .filter(frame -> "names".equals(frame.getString("room")))
                            .findFirst()
                            .orElseThrow();
            assertThat(joined.getJsonArray("members")).containsExactlyInAnyOrder(ZOE, WATANABE);

            zoe.send("names", "bonjour", "zoe-1");
            assertThat(watanabe.awaitMessage("zoe-1").getString("from")).isEqualTo(ZOE);
            watanabe.send("names", "\u3053\u3093\u306B\u3061\u306F", "w-1");
            assertThat(zoe.awaitMessage("w-1").getString("from")).isEqualTo(WATANABE);
        }
    }

    @Test
    void aDecomposedNameIsUsedInItsComposedForm() {
        try (ChatClient zoe = ChatClient.connect(base, TestTokens.valid("zoe\u0308-nfd"))) {
            assertThat(zoe.framesOfType("welcome").get(0).getString("user"))
                    .isEqualTo("zo\u00EB-nfd");
            zoe.send("lobby", "typed with a combining diaeresis", "nfd-1");
            assertThat(zoe.awaitMessage("nfd-1").getString("from")).isEqualTo("zo\u00EB-nfd");
        }
    }

    @Test
    void thePageCanReadTheRules() {
        given().when()
                .get("/user-name-rules")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("claims", equalTo(List.of("upn", "preferred_username", "sub")))
                .body("maxLength", equalTo(64));
    }

    private ChatClient.Handshake handshake(String token) {
        return ChatClient.handshake(base).header("Authorization", "Bearer " + token);
    }
}

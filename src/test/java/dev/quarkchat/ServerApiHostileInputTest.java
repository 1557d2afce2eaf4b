package dev.quarkchat;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.oneOf;

import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * Hostile input against the server API: forged service tokens of every kind, bodies that are not
 * what an endpoint takes, oversized and unbounded bodies, and names shaped like injections. Every
 * answer is a documented problem, never a stack trace, and nothing is published.
 */
@QuarkusTest
class ServerApiHostileInputTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String PROBLEMS = "https://quarkchat.dev/problems/";
    private static final String ADMIN = "chat-admin";

    @TestHTTPResource("/")
    URI base;

    /** The chat's own forged tokens, and the same kinds carrying the service group. */
    static Stream<Arguments> forgedServiceTokens() {
        Instant now = Instant.now();
        return Stream.concat(
                HostileInputTest.forgedTokens(),
                Stream.of(
                        Arguments.of(
                                "a service token signed with another key",
                                Jwt.upn("mallory")
                                        .issuer(TestTokens.issuer())
                                        .groups(ADMIN)
                                        .expiresIn(600)
                                        .sign(TestTokens.newKeyPair().getPrivate())),
                        Arguments.of(
                                "an expired service token",
                                Jwt.upn("mallory")
                                        .issuer(TestTokens.issuer())
                                        .groups(ADMIN)
                                        .issuedAt(now.minusSeconds(7200))
                                        .expiresAt(now.minusSeconds(3600))
                                        .sign()),
                        Arguments.of(
                                "a service token from another issuer",
                                Jwt.upn("mallory")
                                        .issuer("https://attacker.example")
                                        .groups(ADMIN)
                                        .expiresIn(600)
                                        .sign()),
                        Arguments.of("a service token that never expires", withoutExpiry()),
                        Arguments.of("alg none with the service group", unsignedService()),
                        Arguments.of(
                                "a user token with the service group spliced in",
                                splicedService())));
    }

    @ParameterizedTest(name = "{0} -> 401")
    @MethodSource("forgedServiceTokens")
    void aForgedTokenGets401AsAProblem(String description, String token) {
        for (String path : new String[] {"/api/v1/rooms", "/api/v1/rooms/lobby/messages"}) {
            given().header("Authorization", "Bearer " + token)
                    .get(path)
                    .then()
                    .statusCode(401)
                    .contentType(PROBLEM)
                    .body("type", equalTo(PROBLEMS + "unauthorized"))
                    .body("status", equalTo(401));
        }
        given().header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON)
                .body("{\"text\":\"forged\",\"idempotencyKey\":\"forged\"}")
                .post("/api/v1/rooms/lobby/messages")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void aTokenInTheUrlIsNotAccepted() {
        given().queryParam("access_token", TestTokens.admin("ops"))
                .get("/api/v1/rooms")
                .then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{",
                "not json",
                "[]",
                "\"text\"",
                "{\"text\":1,\"idempotencyKey\":\"k\"}",
                "{\"text\":\"a\",\"idempotencyKey\":\"k\",\"admin\":true}",
                "{\"text\":\"a\",\"text\":\"b\",\"idempotencyKey\":\"k\"}",
                "{\"text\":{\"nested\":[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]},\"idempotencyKey\":\"k\"}",
                "{\"text\":\"\\ud800\",\"idempotencyKey\":\"k\"}",
                "null",
                ""
            })
    void aBodyThatIsNotAPublishIs400AsAProblem(String body) {
        Response answer =
                given().auth()
                        .oauth2(TestTokens.admin("ops"))
                        .contentType(ContentType.JSON)
                        .body(body)
                        .post("/api/v1/rooms/hostile-bodies/messages");
        answer.then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", oneOf(PROBLEMS + "malformed-json", PROBLEMS + "validation"))
                .body("status", equalTo(400));
        assertThat(answer.asString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anOversizedBodyIs413BeforeItIsRead() {
        String huge = "{\"text\":\"" + "x".repeat(70_000) + "\",\"idempotencyKey\":\"huge\"}";
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .contentType(ContentType.JSON)
                .body(huge)
                .post("/api/v1/rooms/lobby/messages")
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "body-too-large"));
    }

    @Test
    void aBodyWithoutALengthIs411() throws IOException, InterruptedException {
        byte[] body =
                "{\"text\":\"a\",\"idempotencyKey\":\"chunked\"}".getBytes(StandardCharsets.UTF_8);
        // A body of unknown length goes out chunked, without Content-Length.
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("/api/v1/rooms/lobby/messages"))
                        .header("Authorization", "Bearer " + TestTokens.admin("ops"))
                        .header("Content-Type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new ByteArrayInputStream(body)))
                        .build();
        HttpResponse<String> answer =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(411);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue(PROBLEM);
        assertThat(answer.body()).contains(PROBLEMS + "length-required");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "..%2F..%2Fetc%2Fpasswd",
                "lobby'%20OR%20'1'='1",
                "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "lobby%00",
                "LOBBY",
                "lobby%0D%0ASet-Cookie:%20x=y",
                "a%7Bb%7D",
                "~rooms"
            })
    void anInjectionShapedRoomNameIsRefused(String room) {
        Response answer =
                given().auth()
                        .oauth2(TestTokens.admin("ops"))
                        .urlEncodingEnabled(false)
                        .get("/api/v1/rooms/" + room + "/messages");
        answer.then()
                .statusCode(oneOf(400, 404))
                .contentType(PROBLEM)
                .header("Set-Cookie", equalTo(null));
        assertThat(answer.asString()).doesNotContain("Exception");
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .urlEncodingEnabled(false)
                .contentType(ContentType.JSON)
                .body("{\"text\":\"a\",\"idempotencyKey\":\"inject\"}")
                .post("/api/v1/rooms/" + room + "/messages")
                .then()
                .statusCode(oneOf(400, 404))
                .contentType(PROBLEM)
                .body("status", not(equalTo(201)));
    }

    /**
     * User names shaped like injections in the moderation endpoints' paths: a name the chat's rule
     * refuses is a validation problem; one it takes (quotes, slashes and all) is banned under
     * exactly that name, listed as such and lifted, and touches nothing else.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "..%2F..%2Fetc%2Fpasswd",
                "mallory'%20OR%20'1'='1",
                "mallory%22%3B%20DROP%20TABLE%20chat_ban%3B--",
                "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "mallory%00",
                "mallory%0D%0Aaction=lift",
                "%7B_moderation%7D:bans",
                "*"
            })
    void anInjectionShapedUserNameIsBannedVerbatimOrRefused(String user) {
        String name = URLDecoder.decode(user, StandardCharsets.UTF_8);
        Response banned =
                given().auth()
                        .oauth2(TestTokens.admin("ops"))
                        .urlEncodingEnabled(false)
                        .contentType(ContentType.JSON)
                        .body("{\"reason\":\"hostile\"}")
                        .put("/api/v1/bans/" + user);
        assertThat(banned.statusCode()).as(name).isIn(200, 400, 404);
        assertThat(banned.contentType())
                .startsWith(banned.statusCode() == 200 ? "application/json" : PROBLEM);
        assertThat(banned.asString()).doesNotContain("Exception");
        if (banned.statusCode() != 200) {
            return;
        }
        assertThat(banned.jsonPath().getString("user")).isEqualTo(name);
        assertThat(
                        given().auth()
                                .oauth2(TestTokens.admin("ops"))
                                .get("/api/v1/bans")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("bans.user", String.class))
                .contains(name);
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .urlEncodingEnabled(false)
                .delete("/api/v1/bans/" + user)
                .then()
                .statusCode(200)
                .body("lifted.user", hasItem(name));
    }

    @Test
    void routingErrorsAreProblemsToo() {
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .contentType(ContentType.JSON)
                .body("{}")
                .put("/api/v1/rooms")
                .then()
                .statusCode(405)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "method-not-allowed"));
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .contentType(ContentType.TEXT)
                .body("text=hello")
                .post("/api/v1/rooms/lobby/messages")
                .then()
                .statusCode(415)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "unsupported-media-type"));
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .get("/api/v1/rooms/lobby/nothing-here")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "not-found"));
    }

    @Test
    void aValidationProblemListsEveryOffendingField() {
        given().auth()
                .oauth2(TestTokens.admin("ops"))
                .contentType(ContentType.JSON)
                .body("{\"text\":\"\",\"idempotencyKey\":\"\"}")
                .post("/api/v1/rooms/lobby/messages")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("text"))
                .body("errors.field", hasItem("idempotencyKey"));
    }

    private static String withoutExpiry() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TestTokens.issuer());
        claims.setClaim("upn", "mallory");
        claims.setStringListClaim("groups", ADMIN);
        claims.setIssuedAtToNow();
        return TestTokens.signed(claims);
    }

    private static String unsignedService() {
        return base64("{\"alg\":\"none\",\"typ\":\"JWT\"}")
                + "."
                + base64(serviceClaims("mallory"))
                + ".";
    }

    private static String splicedService() {
        String[] honest = TestTokens.valid("honest").split("\\.", -1);
        return honest[0] + "." + base64(serviceClaims("honest")) + "." + honest[2];
    }

    private static String serviceClaims(String user) {
        return "{\"iss\":\""
                + TestTokens.issuer()
                + "\",\"upn\":\""
                + user
                + "\",\"groups\":[\""
                + ADMIN
                + "\"],\"exp\":"
                + Instant.now().plusSeconds(600).getEpochSecond()
                + "}";
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.quarkchat.it;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.RawWebSocket;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * The packaged artifact end to end, as production runs it: the jar with {@code ./mvnw verify}, the
 * native executable with {@code ./mvnw verify -Dnative}. The same tests, so that native is never a
 * second-class build.
 */
@QuarkusIntegrationTest
@WithTestResource(OperatorKeys.class)
class PackagedChatIT {

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @Test
    void twoPeopleChatInARoomWithOperatorSignedTokens() {
        try (ChatClient ann =
                        ChatClient.connect(base, OperatorKeys.token("it-ann")).join("native-room");
                ChatClient ben =
                        ChatClient.connect(base, OperatorKeys.token("it-ben"))
                                .join("native-room")) {
            ann.awaitFrame(
                    frame ->
                            "presence".equals(frame.getString("type"))
                                    && "it-ben".equals(frame.getString("user")));

            ann.send("native-room", "hello from the artifact \uD83D\uDE80", "it-1");

            assertThat(ben.awaitMessage("it-1").getString("text"))
                    .isEqualTo("hello from the artifact \uD83D\uDE80");
            assertThat(ben.awaitMessage("it-1").getString("from")).isEqualTo("it-ann");
            assertThat(ben.awaitMessage("it-1").getLong("seq")).isEqualTo(1L);
        }
    }

    @Test
    void aServicePublishesAndReadsThroughTheServerApi() {
        String room = "native-api";
        try (ChatClient member =
                ChatClient.connect(base, OperatorKeys.token("it-member")).join(room)) {
            given().auth()
                    .oauth2(OperatorKeys.serviceToken("it-bot"))
                    .contentType("application/json")
                    .body("{\"text\":\"from the backend\",\"idempotencyKey\":\"it-api-1\"}")
                    .post("/api/v1/rooms/{room}/messages", room)
                    .then()
                    .statusCode(201)
                    .body("seq", equalTo(1));
            assertThat(member.awaitMessage("it-api-1").getBoolean("service")).isTrue();

            given().auth()
                    .oauth2(OperatorKeys.serviceToken("it-bot"))
                    .get("/api/v1/rooms/{room}/messages", room)
                    .then()
                    .statusCode(200)
                    .body("messages[0].text", equalTo("from the backend"))
                    .body("messages[0].service", equalTo(true));
            given().auth()
                    .oauth2(OperatorKeys.serviceToken("it-bot"))
                    .get("/api/v1/rooms/{room}", room)
                    .then()
                    .statusCode(200)
                    .body("memberCount", equalTo(1))
                    .body("members[0]", equalTo("it-member"));
            given().auth()
                    .oauth2(OperatorKeys.token("it-member"))
                    .get("/api/v1/rooms")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
            given().contentType("application/json")
                    .body("{")
                    .post("/api/v1/rooms/{room}/messages", room)
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
            given().auth()
                    .oauth2(OperatorKeys.serviceToken("it-bot"))
                    .contentType("application/json")
                    .body("{")
                    .post("/api/v1/rooms/{room}/messages", room)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
            given().queryParam("format", "json")
                    .get("/q/openapi")
                    .then()
                    .statusCode(200)
                    .body(containsString("/api/v1/rooms/{room}/messages"));
        }
    }

    @Test
    void badFramesGetTypedErrorsAndBadTokensGet401() {
        try (ChatClient client = ChatClient.connect(base, OperatorKeys.token("it-errors"))) {
            client.sendText(
                    "{\"type\":\"send\",\"room\":\"nowhere\",\"text\":\"x\",\"id\":\"e-1\"}");
            client.sendText("{\"type\":\"join\",\"room\":\"Bad Room\",\"id\":\"e-2\"}");
            client.sendText("{oops");

            assertThat(client.awaitError("e-1").getString("code")).isEqualTo("not_joined");
            assertThat(client.awaitError("e-2").getString("code")).isEqualTo("invalid_room");
            client.awaitFrame(frame -> "invalid_json".equals(frame.getString("code")));
        }
        assertThat(
                        ChatClient.rejectedStatus(
                                ChatClient.handshake(base).header("Authorization", "Bearer nope")))
                .isEqualTo(401);
    }

    @Test
    void aSilentSocketIsDroppedAndCounted() throws IOException {
        double dropped = metrics.value("chat_sockets_dropped_total{reason=\"pong_timeout\"}");
        try (RawWebSocket silent = RawWebSocket.connect(base, OperatorKeys.token("it-silent"))) {
            assertThat(silent.readUntilEnd()).isEmpty();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                metrics.value("chat_sockets_dropped_total{reason=\"pong_timeout\"}")
                                        == dropped + 1);
    }

    @Test
    void metricsAndHealthAreServed() {
        assertThat(metrics.scrape())
                .contains(
                        "chat_connections_active",
                        "chat_broadcast_duration_seconds_bucket",
                        "process_resident_memory_bytes");
        given().when().get("/q/health/live").then().statusCode(200).body(containsString("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body(containsString("UP"));
    }
}

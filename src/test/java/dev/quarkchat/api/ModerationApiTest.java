package dev.quarkchat.api;

import static dev.quarkchat.testing.ApiRequests.given;
import static dev.quarkchat.testing.Frames.deleted;
import static dev.quarkchat.testing.Frames.left;
import static dev.quarkchat.testing.Frames.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The server API's moderation endpoints against real members: disconnect, kick, bans placed, listed
 * and lifted, and a moderator's deletion, each as members see it; every refusal a documented
 * problem. {@link SharedModerationApiTest} runs the same over Redis.
 */
@QuarkusTest
class ModerationApiTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String PROBLEMS = "https://quarkchat.dev/problems/";

    @TestHTTPResource("/")
    URI base;

    static RequestSpecification asService() {
        return given().auth().oauth2(TestTokens.admin("ops-bot"));
    }

    @Test
    void aDisconnectClosesEveryConnectionOfTheUserWith4000() {
        try (ChatClient laptop = connect("ma-ann");
                ChatClient phone = connect("ma-ann");
                ChatClient other = connect("ma-ben")) {
            asService()
                    .queryParam("reason", "cool off")
                    .post("/api/v1/users/{user}/disconnect", "ma-ann")
                    .then()
                    .statusCode(204);

            assertThat(laptop.awaitClose()).isEqualTo(4000);
            assertThat(phone.awaitClose()).isEqualTo(4000);
            assertThat(laptop.closeReason()).isEqualTo("disconnected by a moderator");
            assertThat(other.closed()).isFalse();
        }
        // Without a reason too; the user may come back.
        try (ChatClient back = connect("ma-ann")) {
            asService().post("/api/v1/users/{user}/disconnect", "ma-ann").then().statusCode(204);
            assertThat(back.awaitClose()).isEqualTo(4000);
        }
    }

    @Test
    void aKickTakesTheUserOutOfTheRoomAndTheOthersSeeALeave() {
        String room = "ma-kick";
        try (ChatClient ann = connect("mk-ann").join(room);
                ChatClient ben = connect("mk-ben").join(room)) {
            asService()
                    .queryParam("reason", "off topic")
                    .delete("/api/v1/rooms/{room}/members/{user}", room, "mk-ann")
                    .then()
                    .statusCode(204);

            ann.awaitFrame(left(room, "kicked"));
            ben.awaitFrame(presence(room, "mk-ann", "leave"));
        }
    }

    @Test
    void aBanIsPlacedListedEnforcedAndLifted() {
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try (ChatClient ann = connect("mb-ann").join("mb-room");
                ChatClient ben = connect("mb-ben").join("mb-room")) {
            asService()
                    .contentType(ContentType.JSON)
                    .body(
                            new JsonObject()
                                    .put("reason", "spam")
                                    .put("room", "mb-room")
                                    .put("until", until.toString())
                                    .encode())
                    .put("/api/v1/bans/{user}", "mb-ann")
                    .then()
                    .statusCode(200)
                    .body("user", equalTo("mb-ann"))
                    .body("room", equalTo("mb-room"))
                    .body("until", equalTo(until.toString()))
                    .body("reason", equalTo("spam"))
                    .body("by", equalTo("ops-bot"));
            ann.awaitFrame(left("mb-room", "banned"));
            ben.awaitFrame(presence("mb-room", "mb-ann", "leave"));
            ann.sendJson(
                    new JsonObject().put("type", "join").put("room", "mb-room").put("id", "j"));
            assertThat(ann.awaitError("j").getString("code")).isEqualTo("banned");

            asService()
                    .contentType(ContentType.JSON)
                    .body("{\"reason\":\"spam everywhere\"}")
                    .put("/api/v1/bans/{user}", "mb-ann")
                    .then()
                    .statusCode(200)
                    .body("room", nullValue())
                    .body("until", nullValue());
            assertThat(ann.awaitClose()).isEqualTo(4003);
            assertThat(
                            ChatClient.rejectedStatus(
                                    ChatClient.handshake(base)
                                            .header(
                                                    "Authorization",
                                                    "Bearer " + TestTokens.valid("mb-ann"))))
                    .isEqualTo(403);
            asService()
                    .get("/api/v1/bans")
                    .then()
                    .statusCode(200)
                    .body("bans.findAll { it.user == 'mb-ann' }.size()", equalTo(2));

            asService()
                    .delete("/api/v1/bans/{user}", "mb-ann")
                    .then()
                    .statusCode(200)
                    .body("lifted.size()", equalTo(2));
            asService().get("/api/v1/bans").then().body("bans.user", not(hasItem("mb-ann")));
            asService()
                    .delete("/api/v1/bans/{user}", "mb-ann")
                    .then()
                    .statusCode(404)
                    .contentType(PROBLEM)
                    .body("type", equalTo(PROBLEMS + "not-banned"));
            try (ChatClient again = connect("mb-ann").join("mb-room")) {
                assertThat(again.closed()).isFalse();
            }
        }
    }

    @Test
    void aModeratorDeletesAnyMessageAndTheHistoryKeepsATombstone() {
        String room = "ma-delete";
        try (ChatClient ann = connect("md-ann").join(room);
                ChatClient ben = connect("md-ben").join(room)) {
            ann.send(room, "to be removed", "md-1");
            long seq = ann.awaitMessage("md-1").getLong("seq");

            asService()
                    .delete("/api/v1/rooms/{room}/messages/{seq}", room, seq)
                    .then()
                    .statusCode(204);
            ben.awaitFrame(deleted(room, seq));
            asService()
                    .delete("/api/v1/rooms/{room}/messages/{seq}", room, seq)
                    .then()
                    .statusCode(204);
            asService()
                    .get("/api/v1/rooms/{room}/messages", room)
                    .then()
                    .statusCode(200)
                    .body("messages.find { it.seq == " + seq + " }.text", nullValue());
            asService()
                    .delete("/api/v1/rooms/{room}/messages/{seq}", room, seq + 1000)
                    .then()
                    .statusCode(404)
                    .contentType(PROBLEM)
                    .body("type", equalTo(PROBLEMS + "message-not-found"));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/users/ma-x/disconnect",
                "/api/v1/bans",
                "/api/v1/bans/ma-x",
                "/api/v1/rooms/lobby/members/ma-x",
                "/api/v1/rooms/lobby/messages/1"
            })
    void everyModerationEndpointWantsAServiceToken(String path) {
        for (String method : new String[] {"GET", "POST", "PUT", "DELETE"}) {
            int status =
                    given().auth()
                            .oauth2(TestTokens.valid("ma-user"))
                            .contentType(ContentType.JSON)
                            .body("{\"reason\":\"x\"}")
                            .request(method, path)
                            .then()
                            .extract()
                            .statusCode();
            // Methods an endpoint does not take are 405; every one it takes refuses a user token.
            assertThat(status).as(method + " " + path).isIn(403, 405);
            int anonymous = given().request(method, path).then().extract().statusCode();
            assertThat(anonymous).as("no token, " + method + " " + path).isIn(401, 405);
        }
        given().auth()
                .oauth2(TestTokens.valid("ma-user"))
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\"}")
                .request(methodOf(path), path)
                .then()
                .statusCode(403)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "forbidden"));
    }

    @Test
    void badArgumentsAreValidationProblemsNamingTheField() {
        assertInvalid(asService().post("/api/v1/users/{user}/disconnect", "u".repeat(300)), "user");
        assertInvalid(
                asService()
                        .queryParam("reason", "r".repeat(501))
                        .post("/api/v1/users/{user}/disconnect", "ma-x"),
                "reason");
        assertInvalid(
                asService().delete("/api/v1/rooms/{room}/members/{user}", "Not A Room", "ma-x"),
                "room");
        assertInvalid(
                asService().delete("/api/v1/rooms/{room}/messages/{seq}", "lobby", "zero"), "seq");
        assertInvalid(
                asService().delete("/api/v1/rooms/{room}/messages/{seq}", "lobby", "0"), "seq");
        assertInvalid(putBan("{\"room\":\"lobby\"}"), "reason");
        assertInvalid(putBan("{\"reason\":\"x\",\"until\":\"tomorrow\"}"), "until");
        assertInvalid(putBan("{\"reason\":\"x\",\"until\":\"2001-01-01T00:00:00Z\"}"), "until");
        assertInvalid(putBan("{\"reason\":\"x\",\"room\":\"../etc\"}"), "room");
        assertInvalid(putBan("{\"reason\":\"line\\nbreak\"}"), "reason");
        putBan("{\"reason\":\"x\",\"admin\":true}")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "malformed-json"));
        assertInvalid(
                asService().queryParam("room", "No Room").delete("/api/v1/bans/ma-x"), "room");
        asService()
                .get("/api/v1/bans")
                .then()
                .statusCode(200)
                .body("bans.user", not(hasItem("ma-x")));
    }

    private static io.restassured.response.Response putBan(String body) {
        return asService().contentType(ContentType.JSON).body(body).put("/api/v1/bans/ma-x");
    }

    private static void assertInvalid(io.restassured.response.Response answer, String field) {
        answer.then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo(PROBLEMS + "validation"))
                .body("errors.field", hasItem(field));
    }

    private static String methodOf(String path) {
        if (path.endsWith("/disconnect")) {
            return "POST";
        }
        return path.equals("/api/v1/bans") ? "GET" : "DELETE";
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

package dev.quarkchat.api;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server API's room resources against real WebSocket members: a service publishes, members see
 * it marked as a service message, and the rooms, their members and their history read back as the
 * chat holds them. Subclasses run the same over Redis and with the PostgreSQL store.
 */
@QuarkusTest
class ServerApiTest {

    static final String PROBLEM = "application/problem+json";
    private static final AtomicInteger KEYS = new AtomicInteger();

    @TestHTTPResource("/")
    URI base;

    /** Whether a room nobody is in takes a publish (false without a backplane or a store). */
    boolean emptyRoomsTakeMessages() {
        return false;
    }

    static RequestSpecification asService() {
        return given().auth().oauth2(TestTokens.admin("ops-bot"));
    }

    static JsonObject publishBody(String text, String key) {
        return new JsonObject().put("text", text).put("idempotencyKey", key);
    }

    static ValidatableResponse publish(String room, String text, String key) {
        return asService()
                .contentType(ContentType.JSON)
                .body(publishBody(text, key).encode())
                .post("/api/v1/rooms/{room}/messages", room)
                .then();
    }

    static String key() {
        return "key-" + KEYS.incrementAndGet();
    }

    @Test
    void aPublishReachesEveryMemberMarkedAsAServiceMessage() {
        String room = "api-publish";
        try (ChatClient ann = connect("api-ann").join(room);
                ChatClient bob = connect("api-bob").join(room)) {
            String key = key();
            ValidatableResponse created =
                    publish(room, "maintenance at 22:00", key)
                            .statusCode(201)
                            .header(
                                    "Location",
                                    containsString("/api/v1/rooms/" + room + "/messages/"))
                            .body("room", equalTo(room))
                            .body("from", equalTo("ops-bot"))
                            .body("idempotencyKey", equalTo(key))
                            .body("epoch", notNullValue());
            long seq = created.extract().jsonPath().getLong("seq");

            for (ChatClient member : List.of(ann, bob)) {
                JsonObject message = member.awaitMessage(key);
                assertThat(message.getString("from")).isEqualTo("ops-bot");
                assertThat(message.getString("text")).isEqualTo("maintenance at 22:00");
                assertThat(message.getLong("seq")).isEqualTo(seq);
                assertThat(message.getBoolean("service")).isTrue();
            }
            ann.send(room, "thanks", "from-ann");
            assertThat(bob.awaitMessage("from-ann").containsKey("service"))
                    .as("a member's message carries no service field")
                    .isFalse();
        }
    }

    @Test
    void aRepeatedKeyIsAnsweredWithTheFirstPublishAndPostsNothing() {
        String room = "api-idempotent";
        try (ChatClient member = connect("api-idem").join(room)) {
            String key = key();
            long seq =
                    publish(room, "once", key).statusCode(201).extract().jsonPath().getLong("seq");

            publish(room, "once", key)
                    .statusCode(201)
                    .header(RoomsResource.IDEMPOTENT_REPLAYED, "true")
                    .body("seq", equalTo((int) seq));
            publish(room, "another text", key)
                    .statusCode(409)
                    .contentType(PROBLEM)
                    .body("type", equalTo(ProblemType.BASE + "idempotency-key-reused"))
                    .body("status", equalTo(409));

            member.send(room, "barrier", "barrier-idem");
            member.awaitMessage("barrier-idem");
            assertThat(member.messagesWithId(key)).hasSize(1);
        }
    }

    @Test
    void roomsAreListedByNameWithTheirMemberCountsPageByPage() {
        List<String> rooms = List.of("api-list-a", "api-list-b", "api-list-c");
        List<ChatClient> members = new ArrayList<>();
        try {
            for (String room : rooms) {
                members.add(connect("lister-" + room).join(room));
            }
            members.add(connect("second-in-b").join("api-list-b"));

            await().atMost(ChatClient.TIMEOUT)
                    .untilAsserted(
                            () -> {
                                Map<String, Integer> seen = listAllRooms(2);
                                assertThat(seen)
                                        .containsEntry("api-list-a", 1)
                                        .containsEntry("api-list-b", 2)
                                        .containsEntry("api-list-c", 1);
                            });
        } finally {
            members.forEach(ChatClient::close);
        }
    }

    /** Walks every page of GET /rooms, checking that the names come in order. */
    private static Map<String, Integer> listAllRooms(int pageSize) {
        Map<String, Integer> seen = new java.util.LinkedHashMap<>();
        String after = "";
        String last = "";
        while (true) {
            JsonObject page =
                    new JsonObject(
                            asService()
                                    .queryParam("after", after)
                                    .queryParam("limit", pageSize)
                                    .get("/api/v1/rooms")
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .asString());
            for (Object entry : page.getJsonArray("rooms")) {
                JsonObject room = (JsonObject) entry;
                assertThat(room.getString("room")).isGreaterThan(last);
                last = room.getString("room");
                seen.put(last, room.getInteger("memberCount"));
            }
            if (!page.containsKey("next")) {
                return seen;
            }
            after = page.getString("next");
        }
    }

    @Test
    void aRoomTellsItsMembersPageByPageAndWhereItsSequenceStands() {
        String room = "api-details";
        try (ChatClient carol = connect("carol").join(room);
                ChatClient alice = connect("alice").join(room);
                ChatClient bob = connect("bob").join(room)) {
            carol.send(room, "hello", "details-1");
            long seq = carol.awaitMessage("details-1").getLong("seq");
            alice.awaitMessage("details-1");
            bob.awaitMessage("details-1");

            await().atMost(ChatClient.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    asService()
                                            .queryParam("memberLimit", 2)
                                            .get("/api/v1/rooms/{room}", room)
                                            .then()
                                            .statusCode(200)
                                            .body("room", equalTo(room))
                                            .body("memberCount", equalTo(3))
                                            .body("members", equalTo(List.of("alice", "bob")))
                                            .body("membersNext", equalTo("bob"))
                                            .body("seq", equalTo((int) seq))
                                            .body("epoch", notNullValue()));
            asService()
                    .queryParam("memberLimit", 2)
                    .queryParam("membersAfter", "bob")
                    .get("/api/v1/rooms/{room}", room)
                    .then()
                    .statusCode(200)
                    .body("members", equalTo(List.of("carol")));
        }
    }

    @Test
    void historyPagesBackwardsWithServiceMessagesMarked() {
        String room = "api-history";
        try (ChatClient member = connect("api-reader").join(room)) {
            for (int n = 1; n <= 5; n++) {
                member.send(room, "m" + n, "history-" + n);
                member.awaitMessage("history-" + n);
            }
            String key = key();
            publish(room, "from the backend", key).statusCode(201);
            member.awaitMessage(key);

            JsonObject latest = history(room, null, 4);
            assertThat(seqs(latest)).containsExactly(3L, 4L, 5L, 6L);
            assertThat(latest.getBoolean("more")).isTrue();
            JsonObject serviceMessage = latest.getJsonArray("messages").getJsonObject(3);
            assertThat(serviceMessage.getBoolean("service")).isTrue();
            assertThat(serviceMessage.getString("from")).isEqualTo("ops-bot");
            assertThat(latest.getJsonArray("messages").getJsonObject(0).containsKey("service"))
                    .isFalse();

            JsonObject older = history(room, latest.getLong("next"), 4);
            assertThat(seqs(older)).containsExactly(1L, 2L);
            assertThat(older.getBoolean("more")).isFalse();
            assertThat(older.containsKey("next")).isFalse();
        }
    }

    private static JsonObject history(String room, Long before, int limit) {
        RequestSpecification request = asService().queryParam("limit", limit);
        if (before != null) {
            request.queryParam("before", before);
        }
        return new JsonObject(
                request.get("/api/v1/rooms/{room}/messages", room)
                        .then()
                        .statusCode(200)
                        .contentType(ContentType.JSON)
                        .extract()
                        .asString());
    }

    private static List<Long> seqs(JsonObject page) {
        List<Long> seqs = new ArrayList<>();
        for (Object message : page.getJsonArray("messages")) {
            seqs.add(((JsonObject) message).getLong("seq"));
        }
        return seqs;
    }

    @Test
    void anUnknownRoomIs404() {
        for (String path : List.of("/api/v1/rooms/{room}", "/api/v1/rooms/{room}/messages")) {
            asService()
                    .get(path, "api-nobody-ever")
                    .then()
                    .statusCode(404)
                    .contentType(PROBLEM)
                    .body("type", equalTo(ProblemType.BASE + "room-not-found"));
        }
    }

    @Test
    void aPublishIntoARoomNobodyIsIn() {
        String key = key();
        if (emptyRoomsTakeMessages()) {
            publish("api-empty", "kept for later", key).statusCode(201).body("seq", equalTo(1));
            try (ChatClient late = connect("api-late")) {
                late.sendJson(new JsonObject().put("type", "join").put("room", "api-empty"));
                assertThat(late.awaitMessage(key).getBoolean("service")).isTrue();
            }
        } else {
            publish("api-empty", "nobody hears this", key)
                    .statusCode(404)
                    .contentType(PROBLEM)
                    .body("type", equalTo(ProblemType.BASE + "room-not-found"));
        }
    }

    @Test
    void invalidInputIsAValidationProblemNamingTheField() {
        publish("Not A Room", "text", key())
                .statusCode(400)
                .contentType(PROBLEM)
                .body("type", equalTo(ProblemType.BASE + "validation"))
                .body("errors.field", hasItem("room"));
        publish("api-valid", "   ", key()).statusCode(400).body("errors.field", hasItem("text"));
        publish("api-valid", "text", "k".repeat(65))
                .statusCode(400)
                .body("errors.field", hasItem("idempotencyKey"));
        publish("api-valid", "x".repeat(4001), key())
                .statusCode(400)
                .body("errors.field", hasItem("text"));
        asService()
                .contentType(ContentType.JSON)
                .body("{\"text\":\"no key\"}")
                .post("/api/v1/rooms/api-valid/messages")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("idempotencyKey"));
        asService()
                .queryParam("limit", "abc")
                .get("/api/v1/rooms")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors.field", hasItem("limit"));
        asService()
                .queryParam("limit", 0)
                .get("/api/v1/rooms/api-valid/messages")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("limit"));
        asService()
                .queryParam("before", -1)
                .get("/api/v1/rooms/api-valid/messages")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("before"));
    }

    @Test
    void withoutATokenEveryEndpointIs401AndWithAUserToken403() {
        for (String token : new String[] {null, TestTokens.valid("plain-user")}) {
            int status = token == null ? 401 : 403;
            String type = ProblemType.BASE + (token == null ? "unauthorized" : "forbidden");
            RequestSpecification request = token == null ? given() : given().auth().oauth2(token);
            request.contentType(ContentType.JSON)
                    .body(publishBody("hi", key()).encode())
                    .post("/api/v1/rooms/lobby/messages")
                    .then()
                    .statusCode(status)
                    .contentType(PROBLEM)
                    .body("type", equalTo(type))
                    .body("status", equalTo(status));
            for (String path :
                    List.of(
                            "/api/v1/rooms",
                            "/api/v1/rooms/lobby",
                            "/api/v1/rooms/lobby/messages")) {
                (token == null ? given() : given().auth().oauth2(token))
                        .get(path)
                        .then()
                        .statusCode(status)
                        .contentType(PROBLEM)
                        .body("type", equalTo(type));
            }
        }
    }

    @Test
    void theDevTokenRouteIssuesServiceTokens() {
        String token =
                given().queryParam("user", "ops")
                        .queryParam("admin", "true")
                        .get("/dev/token")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        given().auth().oauth2(token).get("/api/v1/rooms").then().statusCode(200);
        String userToken =
                given().queryParam("user", "ops").get("/dev/token").then().extract().asString();
        given().auth().oauth2(userToken).get("/api/v1/rooms").then().statusCode(403);
    }

    ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

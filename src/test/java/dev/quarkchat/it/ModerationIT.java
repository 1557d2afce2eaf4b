package dev.quarkchat.it;

import static dev.quarkchat.testing.Frames.deleted;
import static dev.quarkchat.testing.Frames.left;
import static dev.quarkchat.testing.Frames.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ApiRequests;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.EmbeddedRedis;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The server API's moderation end to end: two instances of the packaged service (jar, or native
 * executable with {@code -Dnative}) sharing a real Redis, the moderator's requests made on the
 * first while the users' connections sit on the second (and on both), and what each real client
 * sees: closes with 4000 and 4003, {@code left} with a reason, refused upgrades and joins, a ban
 * that outlives a restart of the instance, and edits and deletions reaching every member and a
 * client that recovers later.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModerationIT {

    private static final String MODERATOR = "mod-ops";
    private static final String PROBLEMS = "https://quarkchat.dev/problems/";

    private static Map<String, String> operatorSettings;
    private static EmbeddedRedis redis;
    private static PackagedApp first;
    private static PackagedApp second;

    @BeforeAll
    static void startRedisAndTwoInstances() {
        operatorSettings = new OperatorKeys().start();
        redis = EmbeddedRedis.start();
        first = startInstance("moderation-1");
        second = startInstance("moderation-2");
    }

    @AfterAll
    static void stopEverything() {
        first.close();
        second.close();
        redis.close();
    }

    @Test
    @Order(1)
    void aDisconnectClosesEveryConnectionOfTheUserOnBothInstances() {
        try (ChatClient annHere = connect(first, "mod-ann");
                ChatClient annThere = connect(second, "mod-ann");
                ChatClient annPhone = connect(second, "mod-ann");
                ChatClient bystander = connect(second, "mod-bea")) {
            api(first)
                    .contentType("application/json")
                    .body(new JsonObject().put("reason", "cooling off").encode())
                    .post("/api/v1/users/{user}/disconnect", "mod-ann")
                    .then()
                    .statusCode(204);

            for (ChatClient connection : List.of(annHere, annThere, annPhone)) {
                assertThat(connection.awaitClose()).isEqualTo(4000);
                assertThat(connection.closeReason()).isEqualTo("disconnected by a moderator");
            }
            bystander.join("mod-still-here");
            assertThat(bystander.closed()).isFalse();
        }
        try (ChatClient backHere = connect(first, "mod-ann").join("mod-after");
                ChatClient backThere = connect(second, "mod-ann").join("mod-after")) {
            assertThat(backHere.closed()).isFalse();
            assertThat(backThere.closed()).isFalse();
        }
    }

    @Test
    @Order(2)
    void aKickTakesTheUserOutOfTheRoomOnBothInstancesAndTheOthersSeeThemLeave() {
        String room = "mod-kick";
        try (ChatClient lee = connect(first, "mod-lee").join(room);
                ChatClient kimThere = connect(second, "mod-kim").join(room);
                ChatClient kimHere = connect(first, "mod-kim").join(room)) {
            lee.awaitFrame(presence(room, "mod-kim", "join"));

            api(first)
                    .queryParam("reason", "off topic")
                    .delete("/api/v1/rooms/{room}/members/{user}", room, "mod-kim")
                    .then()
                    .statusCode(204);

            kimThere.awaitFrame(left(room, "kicked"));
            kimHere.awaitFrame(left(room, "kicked"));
            lee.awaitFrame(presence(room, "mod-kim", "leave"));
            assertThat(kimThere.closed()).isFalse();
            assertThat(joins(kimThere, room)).isTrue();
            awaitRejoined(lee, room, "mod-kim");
        }
    }

    @Test
    @Order(3)
    void aBanOfTheChatClosesTheConnectionsAtOnceAndRefusesUpgradesUntilLifted() {
        try (ChatClient eveHere = connect(first, "mod-eve");
                ChatClient eveThere = connect(second, "mod-eve")) {
            JsonObject ban =
                    body(
                            api(first)
                                    .contentType("application/json")
                                    .body(new JsonObject().put("reason", "spam").encode())
                                    .put("/api/v1/bans/{user}", "mod-eve"),
                            200);
            assertThat(ban.getString("user")).isEqualTo("mod-eve");
            assertThat(ban.getString("reason")).isEqualTo("spam");
            assertThat(ban.getString("by")).isEqualTo(MODERATOR);
            assertThat(ban.getString("at")).isNotBlank();
            assertThat(ban.containsKey("room")).isFalse();
            assertThat(ban.containsKey("until")).isFalse();

            for (ChatClient connection : List.of(eveHere, eveThere)) {
                assertThat(connection.awaitClose()).isEqualTo(4003);
                assertThat(connection.closeReason()).isEqualTo("banned by a moderator");
            }
        }
        assertThat(upgradeStatus(first, "mod-eve")).isEqualTo(403);
        assertThat(upgradeStatus(second, "mod-eve")).isEqualTo(403);
        assertThat(bansOf("mod-eve"))
                .singleElement()
                .satisfies(listed -> assertThat(listed.containsKey("room")).isFalse());

        JsonArray lifted =
                body(api(first).delete("/api/v1/bans/{user}", "mod-eve"), 200)
                        .getJsonArray("lifted");
        assertThat(lifted).hasSize(1);
        assertThat(lifted.getJsonObject(0).getString("user")).isEqualTo("mod-eve");
        await().atMost(ChatClient.TIMEOUT).until(() -> upgradeAccepted(second, "mod-eve"));
        assertThat(upgradeAccepted(first, "mod-eve")).isTrue();
        assertThat(bansOf("mod-eve")).isEmpty();
        assertProblem(api(first).delete("/api/v1/bans/{user}", "mod-eve"), 404, "not-banned");
    }

    @Test
    @Order(4)
    void aBanFromARoomTakesTheUserOutAndRefusesTheirJoinUntilLifted() {
        String room = "mod-banned-room";
        Instant until = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        try (ChatClient gil = connect(first, "mod-gil").join(room);
                ChatClient fay = connect(second, "mod-fay").join(room).join("mod-elsewhere")) {
            gil.awaitFrame(presence(room, "mod-fay", "join"));

            JsonObject ban =
                    body(
                            api(first)
                                    .contentType("application/json")
                                    .body(
                                            new JsonObject()
                                                    .put("reason", "flooding")
                                                    .put("room", room)
                                                    .put("until", until.toString())
                                                    .encode())
                                    .put("/api/v1/bans/{user}", "mod-fay"),
                            200);
            assertThat(ban.getString("room")).isEqualTo(room);
            assertThat(Instant.parse(ban.getString("until"))).isEqualTo(until);
            assertThat(ban.getString("by")).isEqualTo(MODERATOR);

            fay.awaitFrame(left(room, "banned"));
            gil.awaitFrame(presence(room, "mod-fay", "leave"));
            fay.sendJson(new JsonObject().put("type", "join").put("room", room).put("id", "rb-1"));
            assertThat(fay.awaitError("rb-1").getString("code")).isEqualTo("banned");
            try (ChatClient fayHere = connect(first, "mod-fay")) {
                fayHere.sendJson(
                        new JsonObject().put("type", "join").put("room", room).put("id", "rb-2"));
                assertThat(fayHere.awaitError("rb-2").getString("code")).isEqualTo("banned");
            }
            fay.send("mod-elsewhere", "still here", "rb-3");
            fay.awaitMessage("rb-3");
            assertThat(bansOf("mod-fay"))
                    .singleElement()
                    .satisfies(listed -> assertThat(listed.getString("room")).isEqualTo(room));

            JsonArray lifted =
                    body(
                                    api(first)
                                            .queryParam("room", room)
                                            .delete("/api/v1/bans/{user}", "mod-fay"),
                                    200)
                            .getJsonArray("lifted");
            assertThat(lifted).hasSize(1);
            assertThat(lifted.getJsonObject(0).getString("room")).isEqualTo(room);
            await().atMost(ChatClient.TIMEOUT).until(() -> joins(fay, room));
            awaitRejoined(gil, room, "mod-fay");
            assertThat(bansOf("mod-fay")).isEmpty();
        }
    }

    @Test
    @Order(5)
    void deletionsByTheApiAndEditsByAMemberReachEveryMemberAndAClientThatRecovers() {
        String room = "mod-edits";
        try (ChatClient ann = connect(first, "mod-ed-ann").join(room);
                ChatClient bob = connect(second, "mod-ed-bob").join(room)) {
            String epoch;
            long position;
            long bobs;
            long anns;
            try (ChatClient cat = connect(first, "mod-ed-cat").join(room)) {
                epoch = joined(cat, room).getString("epoch");
                bob.send(room, "see you at 9", "ed-1");
                bobs = cat.awaitMessage("ed-1").getLong("seq");
                // Sent once the first is posted, so that it is the room's latest message.
                ann.send(room, "something to remove", "ed-2");
                anns = cat.awaitMessage("ed-2").getLong("seq");
                position = anns;
                bob.awaitMessage("ed-2");
            }

            bob.sendJson(
                    new JsonObject()
                            .put("type", "edit")
                            .put("room", room)
                            .put("seq", bobs)
                            .put("text", "see you at 10")
                            .put("id", "ed-3"));
            for (ChatClient member : List.of(ann, bob)) {
                JsonObject edited = member.awaitFrame(edited(room, bobs));
                assertThat(edited.getString("text")).isEqualTo("see you at 10");
                assertThat(edited.getString("editedAt")).isNotBlank();
            }

            api(first)
                    .delete("/api/v1/rooms/{room}/messages/{seq}", room, anns)
                    .then()
                    .statusCode(204);
            for (ChatClient member : List.of(ann, bob)) {
                member.awaitFrame(deleted(room, anns));
            }
            api(second)
                    .delete("/api/v1/rooms/{room}/messages/{seq}", room, anns)
                    .then()
                    .statusCode(204);
            assertProblem(
                    api(first).delete("/api/v1/rooms/{room}/messages/{seq}", room, 9999),
                    404,
                    "message-not-found");

            try (ChatClient cat = connect(second, "mod-ed-cat")) {
                cat.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", room)
                                .put("since", position)
                                .put("epoch", epoch));
                JsonObject edited = cat.awaitFrame(edited(room, bobs));
                JsonObject deleted = cat.awaitFrame(deleted(room, anns));
                assertThat(joined(cat, room).getBoolean("recovered")).isTrue();
                assertThat(edited.getString("text")).isEqualTo("see you at 10");
                assertThat(edited.getLong("at")).isGreaterThan(position);
                assertThat(deleted.getLong("at")).isGreaterThan(edited.getLong("at"));
                assertThat(cat.messagesIn(room)).isEmpty();
            }
            try (ChatClient newcomer = connect(second, "mod-ed-dan").join(room)) {
                await().atMost(ChatClient.TIMEOUT)
                        .until(() -> newcomer.messagesIn(room).size() == 2);
                Map<Long, JsonObject> bySeq =
                        newcomer.messagesIn(room).stream()
                                .collect(
                                        Collectors.toMap(
                                                frame -> frame.getLong("seq"), frame -> frame));
                assertThat(bySeq.get(bobs).getString("text")).isEqualTo("see you at 10");
                assertThat(bySeq.get(bobs).getString("editedAt")).isNotBlank();
                assertThat(bySeq.get(anns).getBoolean("deleted")).isTrue();
                assertThat(bySeq.get(anns).containsKey("text")).isFalse();
            }
        }
    }

    @Test
    @Order(6)
    void aBanOutlivesARestartOfTheInstance() throws InterruptedException {
        try (ChatClient hal = connect(second, "mod-hal")) {
            api(first)
                    .contentType("application/json")
                    .body(new JsonObject().put("reason", "kept").encode())
                    .put("/api/v1/bans/{user}", "mod-hal")
                    .then()
                    .statusCode(200);
            assertThat(hal.awaitClose()).isEqualTo(4003);
        }

        second.kill();
        second = startInstance("moderation-2-restarted");

        assertThat(upgradeStatus(second, "mod-hal")).isEqualTo(403);
        assertThat(upgradeStatus(first, "mod-hal")).isEqualTo(403);
        body(api(second).delete("/api/v1/bans/{user}", "mod-hal"), 200);
        assertThat(upgradeAccepted(second, "mod-hal")).isTrue();
        await().atMost(ChatClient.TIMEOUT).until(() -> upgradeAccepted(first, "mod-hal"));
    }

    private static PackagedApp startInstance(String name) {
        Map<String, String> settings = new HashMap<>(operatorSettings);
        settings.put("chat.backplane", "redis");
        settings.put("quarkus.redis.hosts", redis.uri());
        settings.put("chat.backplane.redis.check-interval", "200ms");
        return PackagedApp.start(name, settings).awaitListening().awaitReadiness(200);
    }

    /** A request to the server API of {@code app}, with the moderator's service token. */
    private static RequestSpecification api(PackagedApp app) {
        return ApiRequests.given()
                .baseUri(app.baseUri().toString())
                .auth()
                .oauth2(OperatorKeys.serviceToken(MODERATOR));
    }

    private static JsonObject body(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        return new JsonObject(response.asString());
    }

    private static void assertProblem(Response response, int status, String slug) {
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(body(response, status).getString("type")).isEqualTo(PROBLEMS + slug);
    }

    /** The bans in force of that user, as {@code GET /bans} lists them. */
    private static List<JsonObject> bansOf(String user) {
        JsonArray bans = body(api(first).get("/api/v1/bans"), 200).getJsonArray("bans");
        return bans.stream()
                .map(JsonObject.class::cast)
                .filter(ban -> user.equals(ban.getString("user")))
                .collect(Collectors.toList());
    }

    private static ChatClient connect(PackagedApp app, String user) {
        return ChatClient.connect(app.baseUri(), OperatorKeys.token(user));
    }

    private static ChatClient.Handshake handshake(PackagedApp app, String user) {
        return ChatClient.handshake(app.baseUri())
                .header("Authorization", "Bearer " + OperatorKeys.token(user));
    }

    private static int upgradeStatus(PackagedApp app, String user) {
        return ChatClient.rejectedStatus(handshake(app, user));
    }

    private static boolean upgradeAccepted(PackagedApp app, String user) {
        try (ChatClient accepted = connect(app, user)) {
            return !accepted.closed();
        } catch (IllegalStateException refused) {
            return false;
        }
    }

    /** Sends a {@code join} and tells whether it was answered {@code joined} (not an error). */
    private static boolean joins(ChatClient client, String room) {
        String id = "join-" + System.nanoTime();
        client.sendJson(new JsonObject().put("type", "join").put("room", room).put("id", id));
        JsonObject answer =
                client.awaitFrame(
                        frame ->
                                id.equals(frame.getString("id"))
                                        || id.equals(frame.getString("ref")));
        return "joined".equals(answer.getString("type"));
    }

    /** Waits for {@code member} to see {@code user} join the room again after leaving it. */
    private static void awaitRejoined(ChatClient member, String room, String user) {
        JsonObject leave = member.awaitFrame(presence(room, user, "leave"));
        int afterLeave = member.frames().indexOf(leave) + 1;
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () -> {
                            List<JsonObject> now = member.frames();
                            return now.subList(afterLeave, now.size()).stream()
                                    .anyMatch(presence(room, user, "join"));
                        });
    }

    /** {@code edited} of message {@code seq} of the room. */
    private static Predicate<JsonObject> edited(String room, long seq) {
        return frame ->
                "edited".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && Long.valueOf(seq).equals(frame.getLong("seq"));
    }

    private static JsonObject joined(ChatClient client, String room) {
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }
}

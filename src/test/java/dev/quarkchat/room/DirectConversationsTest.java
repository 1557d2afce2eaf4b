package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

/**
 * Direct conversations: {@code dm} opens a room of the two users' own, which appears at once on the
 * other user's connections and in both their room lists, and which nobody else can enter or read.
 */
@QuarkusTest
class DirectConversationsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void twoUsersTalkInARoomOfTheirOwnThatTheOtherSeesAppear() {
        try (ChatClient ann = connect("dc-ann");
                ChatClient bob = connect("dc-bob")) {
            JsonObject opened = open(ann, "dc-bob", "dc-1");
            String room = opened.getString("room");
            assertThat(room).startsWith("dm-").matches("[a-z0-9][a-z0-9_-]{0,63}");

            JsonObject appeared = bob.awaitFrame(roomFrame(room));
            assertThat(appeared.getString("dm")).isEqualTo("dc-ann");
            assertThat(appeared.getLong("unread")).isZero();

            JsonObject bobsSide = open(bob, "dc-ann", "dc-2");
            assertThat(bobsSide.getString("room")).isEqualTo(room);
            ann.send(room, "just between us", "dc-m-1");
            bob.awaitMessage("dc-m-1");
            bob.send(room, "sure", "dc-m-2");
            ann.awaitMessage("dc-m-2");
            MessageEditTest.edit(ann, room, seqOf(bob, "dc-m-1"), "just us", "dc-e-1");
            bob.awaitFrame(frame -> "edited".equals(frame.getString("type")));
        }
    }

    @Test
    void nobodyElseCanEnterOrReadTheConversation() {
        try (ChatClient cat = connect("dc-cat");
                ChatClient eve = connect("dc-eve")) {
            String room = open(cat, "dc-dan", "dc-3").getString("room");
            cat.send(room, "secret", "dc-m-3");
            cat.awaitMessage("dc-m-3");

            eve.sendJson(new JsonObject().put("type", "join").put("room", room).put("id", "e-1"));
            assertThat(eve.awaitError("e-1").getString("code")).isEqualTo("forbidden");
            eve.sendJson(
                    new JsonObject().put("type", "history").put("room", room).put("id", "e-2"));
            assertThat(eve.awaitError("e-2").getString("code")).isEqualTo("not_joined");
            eve.sendJson(
                    new JsonObject()
                            .put("type", "send")
                            .put("room", room)
                            .put("text", "hi")
                            .put("id", "e-3"));
            assertThat(eve.awaitError("e-3").getString("code")).isEqualTo("not_joined");
            eve.sendJson(
                    new JsonObject()
                            .put("type", "read")
                            .put("room", room)
                            .put("seq", 1)
                            .put("id", "e-4"));
            assertThat(eve.awaitError("e-4").getString("code")).isEqualTo("not_joined");

            // Her own conversation with either of them is another room.
            assertThat(open(eve, "dc-cat", "e-5").getString("room")).isNotEqualTo(room);
            assertThat(open(eve, "dc-dan", "e-6").getString("room")).isNotEqualTo(room);
            assertThat(eve.framesOfType("message"))
                    .noneMatch(frame -> room.equals(frame.getString("room")));
        }
    }

    @Test
    void theConversationIsInBothListsOnTheNextConnectWithItsUnreadAndLatest() {
        // fay stays: a room of the memory engine is forgotten once nobody is in it.
        try (ChatClient fay = connect("dc-fay")) {
            String room = open(fay, "dc-gus", "dc-4").getString("room");
            fay.send(room, "are you there?", "dc-m-4");
            fay.send(room, "call me", "dc-m-5");
            fay.awaitMessage("dc-m-5");

            try (ChatClient gus = connect("dc-gus")) {
                JsonObject listed = listedRoom(gus, room);
                assertThat(listed.getString("dm")).isEqualTo("dc-fay");
                assertThat(listed.getLong("unread")).isEqualTo(2);
                assertThat(listed.getLong("readSeq")).isZero();
                assertThat(listed.getJsonObject("last").getString("text")).isEqualTo("call me");

                JsonObject joined = open(gus, "dc-fay", "dc-5");
                assertThat(joined.getLong("unread")).isEqualTo(2);
            }
            try (ChatClient faysPhone = connect("dc-fay")) {
                JsonObject listed = listedRoom(faysPhone, room);
                assertThat(listed.getString("dm")).isEqualTo("dc-gus");
                assertThat(listed.getLong("unread")).isZero();
            }
        }
    }

    @Test
    void aConversationNeedsAnotherUsersName() {
        try (ChatClient hal = connect("dc-hal")) {
            for (Object user : List.of("dc-hal", "", " padded", 42)) {
                String ref = "dc-bad-" + user;
                hal.sendJson(new JsonObject().put("type", "dm").put("user", user).put("id", ref));
                assertThat(hal.awaitError(ref).getString("code")).isEqualTo("invalid_user");
            }
            hal.sendJson(new JsonObject().put("type", "dm").put("id", "dc-none"));
            assertThat(hal.awaitError("dc-none").getString("code")).isEqualTo("invalid_user");
            assertThat(hal.framesOfType("joined"))
                    .noneMatch(frame -> frame.getString("room").startsWith("dm-"));
        }
    }

    /** Opens the conversation with the user and answers its {@code joined}. */
    private static JsonObject open(ChatClient client, String user, String id) {
        client.sendJson(new JsonObject().put("type", "dm").put("user", user).put("id", id));
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && id.equals(frame.getString("id")));
    }

    private static long seqOf(ChatClient client, String id) {
        return client.awaitMessage(id).getLong("seq");
    }

    /** The entry of {@code room} in the room list the connection got when it opened. */
    static JsonObject listedRoom(ChatClient client, String room) {
        JsonObject rooms = client.awaitFrame(frame -> "rooms".equals(frame.getString("type")));
        return rooms.getJsonArray("rooms").stream()
                .map(JsonObject.class::cast)
                .filter(entry -> room.equals(entry.getString("room")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(room + " is not in " + rooms));
    }

    private static java.util.function.Predicate<JsonObject> roomFrame(String room) {
        return frame ->
                "room".equals(frame.getString("type")) && room.equals(frame.getString("room"));
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

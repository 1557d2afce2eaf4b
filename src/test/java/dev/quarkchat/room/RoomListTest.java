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
 * The room list: on connect, and when asked with {@code rooms}, the rooms the user joined and did
 * not leave, most recently joined first, each with where it stands, the user's unread count and its
 * latest message.
 */
@QuarkusTest
class RoomListTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aConnectionIsToldTheRoomsItsUserBelongsToWithoutJoiningThem() {
        try (ChatClient ann = connect("rl-ann");
                ChatClient bob = connect("rl-bob").join("rl-news").join("rl-chat")) {
            ann.join("rl-news");
            ann.join("rl-chat");
            ann.join("rl-gone");
            ann.sendJson(
                    new JsonObject().put("type", "leave").put("room", "rl-gone").put("id", "l"));
            ann.awaitFrame(frame -> "l".equals(frame.getString("id")));
            bob.send("rl-news", "first", "rl-1");
            bob.send("rl-news", "latest", "rl-2");
            long latest = ann.awaitMessage("rl-2").getLong("seq");
            ann.send("rl-chat", "mine", "rl-3");
            ann.awaitMessage("rl-3");

            try (ChatClient annsPhone = connect("rl-ann")) {
                JsonObject rooms =
                        annsPhone.awaitFrame(frame -> "rooms".equals(frame.getString("type")));
                List<JsonObject> listed = entries(rooms);
                assertThat(listed)
                        .extracting(entry -> entry.getString("room"))
                        // The default room is joined again by this very connection, which may
                        // reach a durable store before the list is read: its place is not fixed.
                        .containsSubsequence("rl-chat", "rl-news")
                        .contains("lobby")
                        .doesNotContain("rl-gone");
                JsonObject news = entry(listed, "rl-news");
                assertThat(news.fieldNames())
                        .containsExactlyInAnyOrder(
                                "room", "seq", "readSeq", "unread", "mentions", "last");
                assertThat(news.getLong("seq")).isEqualTo(latest);
                assertThat(news.getLong("unread")).isEqualTo(2);
                assertThat(news.getJsonObject("last").getString("text")).isEqualTo("latest");
                assertThat(news.getJsonObject("last").getString("from")).isEqualTo("rl-bob");
                assertThat(entry(listed, "rl-chat").getLong("unread")).isZero();
                assertThat(annsPhone.framesOfType("joined"))
                        .extracting(frame -> frame.getString("room"))
                        .doesNotContain("rl-news", "rl-chat");
            }
        }
    }

    @Test
    void theListIsAnsweredWhenAskedAndFollowsReading() {
        try (ChatClient cat = connect("rl-cat").join("rl-desk");
                ChatClient catsPhone = connect("rl-cat").join("rl-desk");
                ChatClient dan = connect("rl-dan").join("rl-desk")) {
            dan.send("rl-desk", "memo", "rl-4");
            long seq = cat.awaitMessage("rl-4").getLong("seq");
            assertThat(entry(ask(cat, "rl-ask-1"), "rl-desk").getLong("unread")).isEqualTo(1);

            cat.sendJson(
                    new JsonObject().put("type", "read").put("room", "rl-desk").put("seq", seq));
            catsPhone.awaitFrame(frame -> "read".equals(frame.getString("type")));
            JsonObject desk = entry(ask(cat, "rl-ask-2"), "rl-desk");
            assertThat(desk.getLong("readSeq")).isEqualTo(seq);
            assertThat(desk.getLong("unread")).isZero();
        }
    }

    private static List<JsonObject> ask(ChatClient client, String id) {
        client.sendJson(new JsonObject().put("type", "rooms").put("id", id));
        return entries(client.awaitFrame(frame -> id.equals(frame.getString("id"))));
    }

    private static List<JsonObject> entries(JsonObject rooms) {
        assertThat(rooms.getString("type")).isEqualTo("rooms");
        return rooms.getJsonArray("rooms").stream().map(JsonObject.class::cast).toList();
    }

    private static JsonObject entry(List<JsonObject> listed, String room) {
        return listed.stream()
                .filter(entry -> room.equals(entry.getString("room")))
                .findFirst()
                .orElseThrow(() -> new AssertionError(room + " is not in " + listed));
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

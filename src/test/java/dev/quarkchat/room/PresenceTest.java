package dev.quarkchat.room;

import static dev.quarkchat.testing.Frames.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * Who is in a room: presence events on join, leave and disconnect, per user rather than per
 * connection.
 */
@QuarkusTest
class PresenceTest {

    @TestHTTPResource("/")
    URI base;

    @Inject RoomRegistry rooms;

    @Test
    void othersHearOfAJoinAndALeave() {
        try (ChatClient ann = connect("p-ann").join("den");
                ChatClient ben = connect("p-ben")) {
            ben.join("den");
            ann.awaitFrame(presence("den", "p-ben", "join"));

            ben.sendJson(new JsonObject().put("type", "leave").put("room", "den"));
            ann.awaitFrame(presence("den", "p-ben", "leave"));

            assertThat(ben.frames()).noneMatch(presence("den", "p-ben", "join"));
            assertThat(rooms.memberNames("den")).containsExactly("p-ann");
        }
    }

    @Test
    void othersHearOfADisconnectAndTheRoomIsForgottenWhenEmpty() {
        try (ChatClient cat = connect("p-cat").join("loft")) {
            ChatClient dov = connect("p-dov").join("loft");
            cat.awaitFrame(presence("loft", "p-dov", "join"));

            dov.close();

            cat.awaitFrame(presence("loft", "p-dov", "leave"));
            assertThat(rooms.memberNames("loft")).containsExactly("p-cat");
        }
        await().atMost(ChatClient.TIMEOUT).until(() -> rooms.memberNames("loft").isEmpty());
    }

    @Test
    void aUserWithTwoConnectionsIsPresentUntilTheLastOneLeaves() {
        try (ChatClient eve = connect("p-eve").join("hall");
                ChatClient fin = connect("p-fin").join("hall")) {
            ChatClient finsPhone = connect("p-fin").join("hall");
            finsPhone.send("hall", "from my phone", "phone-1");
            eve.awaitMessage("phone-1");

            finsPhone.close();
            // Once the server has let the phone go, a (wrong) leave event would already be queued
            // for eve.
            await().atMost(ChatClient.TIMEOUT).until(() -> rooms.connectionCount("hall") == 2);
            fin.send("hall", "still here", "laptop-1");
            eve.awaitMessage("laptop-1");
            assertThat(eve.framesOfType("presence"))
                    .filteredOn(
                            frame ->
                                    "hall".equals(frame.getString("room"))
                                            && "p-fin".equals(frame.getString("user")))
                    .extracting(frame -> frame.getString("event"))
                    .containsExactly("join");

            fin.sendJson(new JsonObject().put("type", "leave").put("room", "hall"));
            eve.awaitFrame(presence("hall", "p-fin", "leave"));
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

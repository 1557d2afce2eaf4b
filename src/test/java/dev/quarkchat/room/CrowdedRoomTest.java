package dev.quarkchat.room;

import static dev.quarkchat.testing.Frames.presence;
import static dev.quarkchat.testing.Frames.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * In a crowded room a join costs no frame to every member and no full member list: presence events
 * stop above {@code chat.presence-max-room-size} users, and {@code joined} names at most {@code
 * chat.joined-max-members} of them beside the full {@code memberCount}.
 */
@QuarkusTest
@TestProfile(CrowdedRoomTest.SmallLimits.class)
class CrowdedRoomTest {

    static final int PRESENCE_MAX_ROOM_SIZE = 3;
    static final int JOINED_MAX_MEMBERS = 2;

    /** Limits small enough to cross with a handful of clients. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return limits();
        }

        static Map<String, String> limits() {
            return Map.of(
                    "chat.presence-max-room-size",
                    Integer.toString(PRESENCE_MAX_ROOM_SIZE),
                    "chat.joined-max-members",
                    Integer.toString(JOINED_MAX_MEMBERS));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject RoomRegistry rooms;

    @Test
    void aboveTheLimitsJoinsAndLeavesAreSilentAndJoinedIsBounded() {
        String room = "crowd";
        List<ChatClient> clients = new ArrayList<>();
        try {
            for (int n = 1; n <= PRESENCE_MAX_ROOM_SIZE + 1; n++) {
                ChatClient client =
                        ChatClient.connect(base, TestTokens.valid("crowd-" + n)).join(room);
                clients.add(client);
                JsonObject joined = joined(client, room);
                assertThat(joined.getInteger("memberCount")).isEqualTo(n);
                assertThat(joined.getJsonArray("members")).hasSize(Math.min(n, JOINED_MAX_MEMBERS));
            }
            ChatClient first = clients.get(0);
            first.awaitFrame(presence(room, "crowd-" + PRESENCE_MAX_ROOM_SIZE, "join"));

            clients.remove(clients.size() - 1).close();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> rooms.connectionCount(room) == PRESENCE_MAX_ROOM_SIZE);
            clients.remove(clients.size() - 1).close();
            first.awaitFrame(presence(room, "crowd-" + PRESENCE_MAX_ROOM_SIZE, "leave"));

            // Presence frames come in order: once that leave is there, every earlier one is too.
            assertThat(first.framesOfType("presence"))
                    .filteredOn(frame -> room.equals(frame.getString("room")))
                    .extracting(frame -> frame.getString("user") + " " + frame.getString("event"))
                    .containsExactly("crowd-2 join", "crowd-3 join", "crowd-3 leave");
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    @Test
    void typingIsToldOnlyWhilePresenceIs() {
        String room = "crowd-typing";
        List<ChatClient> clients = new ArrayList<>();
        try {
            for (int n = 1; n <= PRESENCE_MAX_ROOM_SIZE; n++) {
                clients.add(ChatClient.connect(base, TestTokens.valid("typist-" + n)).join(room));
            }
            ChatClient first = clients.get(0);
            ChatClient last = clients.get(clients.size() - 1);
            first.awaitFrame(presence(room, "typist-" + PRESENCE_MAX_ROOM_SIZE, "join"));
            last.sendJson(new JsonObject().put("type", "typing").put("room", room));
            first.awaitFrame(typing(room, "typist-" + PRESENCE_MAX_ROOM_SIZE));

            clients.add(ChatClient.connect(base, TestTokens.valid("typist-crowd")).join(room));
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> rooms.memberNames(room).size() > PRESENCE_MAX_ROOM_SIZE);
            ChatClient crowd = clients.get(clients.size() - 1);
            crowd.sendJson(new JsonObject().put("type", "typing").put("room", room));
            crowd.send(room, "after typing", "crowd-fence");
            first.awaitMessage("crowd-fence");

            assertThat(first.frames()).noneMatch(typing(room, "typist-crowd"));
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    private static JsonObject joined(ChatClient client, String room) {
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && room.equals(frame.getString("room")));
    }
}

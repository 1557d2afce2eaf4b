package dev.quarkchat.room;

import static dev.quarkchat.testing.Frames.typing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

/**
 * Typing indicators: the other members hear of a user typing, at most once per {@code
 * chat.typing-interval} whatever its connections send, and nothing is stored. A user's message
 * after its typing frames is the fence: the room's events reach members in order, so once the
 * message has arrived every typing event before it has too.
 */
@QuarkusTest
class TypingTest {

    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "chat.typing-interval")
    Duration interval;

    @Test
    void theOthersHearOfTypingButNotTheTypistsOwnConnections() {
        String room = "ty-den";
        try (ChatClient ann = connect("ty-ann").join(room);
                ChatClient annsPhone = connect("ty-ann").join(room);
                ChatClient bob = connect("ty-bob").join(room)) {
            ann.sendJson(typingIn(room));

            JsonObject heard = bob.awaitFrame(typing(room, "ty-ann"));
            assertThat(heard.fieldNames()).containsExactlyInAnyOrder("type", "room", "user");
            ann.send(room, "typed", "ty-den-1");
            ann.awaitMessage("ty-den-1");
            annsPhone.awaitMessage("ty-den-1");
            assertThat(ann.framesOfType("typing")).isEmpty();
            assertThat(annsPhone.framesOfType("typing")).isEmpty();
            assertThat(bob.history(room, null, 10, "ty-den-h").getJsonArray("messages")).hasSize(1);
        }
    }

    @Test
    void aBurstFromTwoConnectionsOfOneUserReachesTheOthersOncePerInterval() {
        String room = "ty-burst";
        try (ChatClient ann = connect("ty-cat").join(room);
                ChatClient annsPhone = connect("ty-cat").join(room);
                ChatClient bob = connect("ty-dan").join(room)) {
            long started = System.nanoTime();
            for (int n = 0; n < 8; n++) {
                ann.sendJson(typingIn(room));
                annsPhone.sendJson(typingIn(room));
            }
            ann.send(room, "fence", "ty-burst-1");
            annsPhone.send(room, "fence", "ty-burst-2");
            bob.awaitMessage("ty-burst-1");
            bob.awaitMessage("ty-burst-2");

            // One, unless the burst itself outlasted an interval on a slow machine.
            long intervalsTaken = 1 + (System.nanoTime() - started) / interval.toNanos();
            assertThat(bob.frames()).filteredOn(typing(room, "ty-cat")).isNotEmpty();
            assertThat(typingHeard(bob, room, "ty-cat")).isLessThanOrEqualTo(intervalsTaken);

            // Once the interval has passed, the next one goes through.
            long before = typingHeard(bob, room, "ty-cat");
            await().atMost(interval.plus(ChatClient.TIMEOUT))
                    .pollInterval(interval.dividedBy(4))
                    .until(
                            () -> {
                                ann.sendJson(typingIn(room));
                                return typingHeard(bob, room, "ty-cat") > before;
                            });
        }
    }

    @Test
    void typingIsRefusedWithItsRefOutsideAJoinedRoom() {
        try (ChatClient eve = connect("ty-eve")) {
            eve.sendJson(typingIn("ty-elsewhere").put("id", "ty-1"));
            assertThat(eve.awaitError("ty-1").getString("code")).isEqualTo("not_joined");

            eve.sendJson(typingIn("Not A Room").put("id", "ty-2"));
            assertThat(eve.awaitError("ty-2").getString("code")).isEqualTo("invalid_room");

            eve.sendJson(new JsonObject().put("type", "typing").put("id", "ty-3"));
            assertThat(eve.awaitError("ty-3").getString("code")).isEqualTo("invalid_room");
        }
    }

    private static long typingHeard(ChatClient member, String room, String user) {
        return member.frames().stream().filter(typing(room, user)).count();
    }

    private static JsonObject typingIn(String room) {
        return new JsonObject().put("type", "typing").put("room", room);
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

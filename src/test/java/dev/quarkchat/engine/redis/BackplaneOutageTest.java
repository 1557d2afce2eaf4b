package dev.quarkchat.engine.redis;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.Readiness;
import dev.quarkchat.testing.RedisBackplane;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * Redis goes away and comes back (empty, as one without persistence does): the instance keeps its
 * connections, refuses sends and joins with {@code unavailable}, reports it, and recovers by
 * itself.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class BackplaneOutageTest {

    private static final String ROOM = "outage";
    private static final String UNAVAILABLE_SERIES =
            "chat_messages_rejected_total{code=\"unavailable\"}";

    @TestHTTPResource("/")
    URI base;

    @Test
    void sendsAreRefusedWhileRedisIsDownAndWorkAgainWhenItIsBack() {
        Metrics metrics = Metrics.ofTestedService();
        // Ready first: until it has loaded the bans once, it is not ready whatever Redis does.
        Readiness.await(base, 200);
        try (ChatClient ann = connect("o-ann").join(ROOM);
                ChatClient bob = connect("o-bob").join(ROOM)) {
            ann.send(ROOM, "before", "before");
            String firstEpoch = joined(bob, null).getString("epoch");
            bob.awaitMessage("before");
            double refusedBefore = metrics.value(UNAVAILABLE_SERIES);

            RedisBackplane.Server.redis().stop();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value("chat_backplane_up{shard=\"0-16383\"}") == 0);
            given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(503);

            ann.send(ROOM, "while down", "down-1");
            assertThat(ann.awaitError("down-1").getString("code")).isEqualTo("unavailable");
            ann.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "elsewhere")
                            .put("id", "down-join"));
            assertThat(ann.awaitError("down-join").getString("code")).isEqualTo("unavailable");
            assertThat(metrics.value(UNAVAILABLE_SERIES)).isEqualTo(refusedBefore + 2);
            assertThat(bob.messagesIn(ROOM)).hasSize(1);
            bob.sendJson(
                    new JsonObject()
                            .put("type", "history")
                            .put("room", ROOM)
                            .put("id", "down-page"));
            assertThat(bob.awaitError("down-page").getString("code")).isEqualTo("unavailable");

            RedisBackplane.Server.redis().restart();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value("chat_backplane_up{shard=\"0-16383\"}") == 1);
            given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(200);

            ann.send(ROOM, "after", "after");
            JsonObject after = bob.awaitMessage("after");
            JsonObject freshView = joined(bob, firstEpoch);
            assertThat(freshView.getBoolean("recovered")).isFalse();
            assertThat(after.getLong("seq")).isEqualTo(freshView.getLong("seq") + 1);
            assertThat(bob.frames().indexOf(freshView)).isLessThan(bob.frames().indexOf(after));
            assertThat(ann.awaitMessage("after").getLong("seq")).isEqualTo(after.getLong("seq"));
            assertThat(bob.messagesIn(ROOM))
                    .extracting(frame -> frame.getString("id"))
                    .containsExactly("before", "after");
            // The old epoch's messages are gone with Redis: a page holds the new epoch's alone.
            JsonObject page = bob.history(ROOM, null, null, "after-page");
            assertThat(page.getString("epoch")).isEqualTo(freshView.getString("epoch"));
            assertThat(page.getJsonArray("messages")).containsExactly(after);
            assertThat(page.getLong("firstSeq")).isEqualTo(after.getLong("seq"));
            assertThat(page.getBoolean("more")).isFalse();
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    /**
     * The {@code joined} frame of the room in another epoch than {@code notEpoch} (any, if null).
     */
    private static JsonObject joined(ChatClient client, String notEpoch) {
        return client.awaitFrame(
                frame ->
                        "joined".equals(frame.getString("type"))
                                && ROOM.equals(frame.getString("room"))
                                && !frame.getString("epoch").equals(notEpoch));
    }
}

package dev.quarkchat.engine.redis;

import static dev.quarkchat.testing.FailoverViews.assertContiguous;
import static dev.quarkchat.testing.FailoverViews.ids;
import static dev.quarkchat.testing.FailoverViews.numbered;
import static dev.quarkchat.testing.FailoverViews.sendUntilAcknowledged;
import static dev.quarkchat.testing.FailoverViews.viewsOf;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.Readiness;
import dev.quarkchat.testing.RedisSentinel;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The backplane through Sentinel ({@code quarkus.redis.client-type=sentinel}): a room works as on a
 * single Redis, and when the primary dies and Sentinel promotes its replica, the instance finds the
 * new primary by itself. The room gives its members the documented fresh view (the replica may have
 * missed the primary's last writes), and no acknowledged message is lost or doubled.
 */
@QuarkusTest
@TestProfile(SentinelFailoverTest.BehindSentinel.class)
@Tag("e2e")
class SentinelFailoverTest {

    private static final String ROOM = "sentinel";
    private static final int BEFORE_KILL = 10;
    private static final int MESSAGES = 20;

    /** Long enough for Sentinel to promote the replica and the instance to find it. */
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    /** A primary, its replica and a sentinel, for this test alone. */
    public static class BehindSentinel implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Server.class));
        }
    }

    /** Starts the servers before the application, and stops them after. */
    public static class Server implements QuarkusTestResourceLifecycleManager {

        static volatile RedisSentinel sentinel;

        @Override
        public Map<String, String> start() {
            sentinel = RedisSentinel.start();
            return sentinel.settings();
        }

        @Override
        public void stop() {
            sentinel.close();
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void whenSentinelPromotesTheReplicaTheInstanceFollowsAndLosesNoAcknowledgedMessage() {
        // Ready first: until it has loaded the bans once, it is not ready whatever Redis does.
        Readiness.await(base, 200);
        try (ChatClient ann = connect("se-ann").join(ROOM);
                ChatClient bob = connect("se-bob").join(ROOM)) {
            String firstEpoch = viewsOf(bob, ROOM).get(0).get(0).getString("epoch");
            for (int n = 1; n <= BEFORE_KILL; n++) {
                sendUntilAcknowledged(ann, base, ROOM, "m-" + n, FAILOVER_TIMEOUT);
            }
            bob.awaitMessage("m-" + BEFORE_KILL);

            Server.sentinel.killPrimaryAndAwaitFailover();
            for (int n = BEFORE_KILL + 1; n <= MESSAGES; n++) {
                sendUntilAcknowledged(ann, base, ROOM, "m-" + n, FAILOVER_TIMEOUT);
            }
            bob.awaitMessage("m-" + MESSAGES);

            assertThat(Metrics.ofTestedService().value("chat_backplane_up{shard=\"0-16383\"}"))
                    .isOne();
            given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(200);
            List<List<JsonObject>> views = viewsOf(bob, ROOM);
            assertThat(views).as("the first view, then a fresh one").hasSize(2);
            assertThat(ids(views.get(0))).containsExactlyElementsOf(numbered("m-", 1, BEFORE_KILL));
            JsonObject fresh = views.get(1).get(0);
            assertThat(fresh.getString("epoch")).isNotEqualTo(firstEpoch);
            assertThat(fresh.getBoolean("recovered")).isFalse();
            assertThat(ids(views.get(1)))
                    .as("every message acknowledged after the failover, once, in the fresh view")
                    .containsExactlyElementsOf(numbered("m-", BEFORE_KILL + 1, MESSAGES));
            for (List<JsonObject> view : views) {
                assertContiguous(view);
            }
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

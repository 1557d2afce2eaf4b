package dev.quarkchat.engine.redis;

import static dev.quarkchat.testing.FailoverViews.assertContiguous;
import static dev.quarkchat.testing.FailoverViews.ids;
import static dev.quarkchat.testing.FailoverViews.numbered;
import static dev.quarkchat.testing.FailoverViews.sendUntilAcknowledged;
import static dev.quarkchat.testing.FailoverViews.upSeries;
import static dev.quarkchat.testing.FailoverViews.viewsOf;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.FailoverViews;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.Readiness;
import dev.quarkchat.testing.RedisCluster;
import dev.quarkchat.testing.RedisClusterBackplane;
import dev.quarkchat.testing.TestTokens;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A shard's primary is killed while messages stream into a room on it and into a room on another
 * shard; once the instance reports that shard down, its replica takes over. The instance finds the
 * new primary by itself. The room on the failed shard gives its members the documented fresh view
 * (a new epoch: the replica may have missed the primary's last writes), and no acknowledged message
 * is lost or doubled in either view; the room on the other shard goes on as if nothing happened.
 */
@QuarkusTest
@TestProfile(ClusterFailoverTest.WithReplica.class)
@Tag("e2e")
class ClusterFailoverTest {

    private static final int MESSAGES = 60;

    /** The shards as {@code redis-cli --cluster create} splits the slots over three primaries. */
    private static final List<String> SHARDS = List.of("0-5460", "5461-10922", "10923-16383");

    /** Sends to the failing shard's room before its primary is killed. */
    private static final int BEFORE_KILL = 20;

    /** Long enough for the replica to take over and the instance to find it. */
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    /** A cluster with a replica of its first primary, for this test alone. */
    public static class WithReplica implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(
                            RedisClusterBackplane.OwnCluster.class, Map.of("replicas", "1")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.rate-limit.messages-per-second", "1000", "chat.rate-limit.burst", "1000");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aPrimaryKilledMidStreamLosesNoAcknowledgedMessageAndDisturbsNoOtherShard()
            throws Exception {
        RedisCluster cluster = RedisClusterBackplane.OwnCluster.cluster();
        RedisCluster.Node failing = cluster.nodes().get(0);
        RedisCluster.Node replica = cluster.nodes().get(3);
        String failingRoom = cluster.room("failover", failing, true);
        String steadyRoom = cluster.room("failover", failing, false);

        // Ready first: until it has loaded the bans once, it is not ready whatever Redis does.
        Readiness.await(base, 200);
        try (ChatClient ann = connect("fo-ann").join(failingRoom).join(steadyRoom);
                ChatClient bob = connect("fo-bob").join(failingRoom).join(steadyRoom)) {
            String firstEpoch =
                    bob.awaitFrame(
                                    frame ->
                                            "joined".equals(frame.getString("type"))
                                                    && failingRoom.equals(frame.getString("room")))
                            .getString("epoch");
            CountDownLatch killed = new CountDownLatch(1);
            CompletableFuture<Integer> steadyRefusals =
                    CompletableFuture.supplyAsync(
                            () -> {
                                int refusals = 0;
                                for (int n = 1; n <= MESSAGES; n++) {
                                    refusals +=
                                            sendUntilAcknowledged(
                                                    ann,
                                                    base,
                                                    steadyRoom,
                                                    "s-" + n,
                                                    FAILOVER_TIMEOUT);
                                    if (n == MESSAGES / 2) {
                                        awaitUninterrupted(killed);
                                    }
                                }
                                return refusals;
                            });
            for (int n = 1; n <= MESSAGES; n++) {
                if (n == BEFORE_KILL + 1) {
                    cluster.kill(failing);
                    killed.countDown();
                    awaitShardReportedDown();
                    cluster.promote(replica);
                }
                sendUntilAcknowledged(ann, base, failingRoom, "f-" + n, FAILOVER_TIMEOUT);
            }
            assertThat(steadyRefusals.get(FAILOVER_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("sends to the other shard's room refused during the failover")
                    .isZero();
            Metrics metrics = Metrics.ofTestedService();
            for (String shard : SHARDS) {
                assertThat(metrics.value(upSeries(shard))).as("shard %s up", shard).isOne();
            }
            given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(200);
            bob.awaitMessage("f-" + MESSAGES);
            bob.awaitMessage("s-" + MESSAGES);

            List<List<JsonObject>> views = viewsOf(bob, failingRoom);
            assertThat(views)
                    .as("the failed shard's room: its first view, then a fresh one")
                    .hasSize(2);
            JsonObject fresh = views.get(1).get(0);
            assertThat(fresh.getString("epoch")).isNotEqualTo(firstEpoch);
            assertThat(fresh.getBoolean("recovered")).isFalse();
            assertThat(fresh.containsKey("id")).isFalse();
            assertThat(ids(views.get(0))).containsSubsequence(numbered("f-", 1, BEFORE_KILL));
            for (List<JsonObject> view : views) {
                assertContiguous(view);
            }
            assertThat(ids(views.get(1)))
                    .as("every message acknowledged after the kill, once, in the fresh view")
                    .containsSubsequence(numbered("f-", BEFORE_KILL + 1, MESSAGES))
                    .doesNotHaveDuplicates();

            List<List<JsonObject>> steadyViews = viewsOf(bob, steadyRoom);
            assertThat(steadyViews).as("the other shard's room keeps its one view").hasSize(1);
            assertThat(ids(steadyViews.get(0)))
                    .containsExactlyElementsOf(numbered("s-", 1, MESSAGES));
            assertContiguous(steadyViews.get(0));
        }
    }

    /** The failed shard is down, the others up; the first primary serves the first third. */
    private void awaitShardReportedDown() {
        FailoverViews.awaitShardReportedDown(base, SHARDS.get(0));
        Metrics metrics = Metrics.ofTestedService();
        assertThat(metrics.value(upSeries(SHARDS.get(1)))).isOne();
        assertThat(metrics.value(upSeries(SHARDS.get(2)))).isOne();
    }

    private static void awaitUninterrupted(CountDownLatch latch) {
        try {
            assertThat(latch.await(FAILOVER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

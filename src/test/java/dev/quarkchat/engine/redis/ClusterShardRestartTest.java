package dev.quarkchat.engine.redis;

import static dev.quarkchat.testing.FailoverViews.assertContiguous;
import static dev.quarkchat.testing.FailoverViews.awaitShardReportedDown;
import static dev.quarkchat.testing.FailoverViews.ids;
import static dev.quarkchat.testing.FailoverViews.numbered;
import static dev.quarkchat.testing.FailoverViews.sendUntilAcknowledged;
import static dev.quarkchat.testing.FailoverViews.upSeries;
import static dev.quarkchat.testing.FailoverViews.viewsOf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
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

/**
 * A shard's only node is killed and comes back empty, as one without persistence does, while
 * messages go to a room on it and to a room on another shard. The instance reconnects by itself;
 * the room on the restarted shard gives its members the documented fresh view (a new epoch, its seq
 * from 1) with every message acknowledged after the restart once, and the room on the other shard
 * is not disturbed, not even while the shard is down.
 */
@QuarkusTest
@TestProfile(ClusterShardRestartTest.OwnCluster.class)
@Tag("e2e")
class ClusterShardRestartTest {

    /** The slots of the second of the three primaries, as {@code redis-cli --cluster} splits. */
    private static final String SHARD = "5461-10922";

    private static final int BEFORE_KILL = 10;
    static final int MESSAGES = 20;

    /** Long enough for the node to come back and the instance to find it. */
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(30);

    /** A cluster of three primaries for this test alone, since it kills one. */
    public static class OwnCluster implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisClusterBackplane.OwnCluster.class));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aShardRestartedEmptyGivesItsRoomsAFreshViewAndDisturbsNoOtherShard() {
        RedisCluster cluster = RedisClusterBackplane.OwnCluster.cluster();
        RedisCluster.Node restarting = cluster.nodes().get(1);
        String restartedRoom = cluster.room("restart", restarting, true);
        String steadyRoom = cluster.room("restart", restarting, false);

        // Ready first: until it has loaded the bans once, it is not ready whatever Redis does.
        Readiness.await(base, 200);
        try (ChatClient ann = connect("sr-ann").join(restartedRoom).join(steadyRoom);
                ChatClient bob = connect("sr-bob").join(restartedRoom).join(steadyRoom)) {
            String firstEpoch = viewsOf(bob, restartedRoom).get(0).get(0).getString("epoch");
            for (int n = 1; n <= BEFORE_KILL; n++) {
                sendUntilAcknowledged(ann, base, restartedRoom, "r-" + n, RESTART_TIMEOUT);
                sendUntilAcknowledged(ann, base, steadyRoom, "s-" + n, RESTART_TIMEOUT);
            }

            cluster.kill(restarting);
            awaitShardReportedDown(base, SHARD);
            int steadyRefusals = 0;
            for (int n = BEFORE_KILL + 1; n <= MESSAGES; n++) {
                steadyRefusals +=
                        sendUntilAcknowledged(ann, base, steadyRoom, "s-" + n, RESTART_TIMEOUT);
            }
            assertThat(steadyRefusals)
                    .as("sends to the other shard's room refused while the shard was down")
                    .isZero();

            cluster.restartEmpty(restarting);
            for (int n = BEFORE_KILL + 1; n <= MESSAGES; n++) {
                sendUntilAcknowledged(ann, base, restartedRoom, "r-" + n, RESTART_TIMEOUT);
            }
            bob.awaitMessage("r-" + MESSAGES);
            bob.awaitMessage("s-" + MESSAGES);
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> Metrics.ofTestedService().value(upSeries(SHARD)) == 1);
            Readiness.await(base, 200);

            assertRestartedRoom(viewsOf(bob, restartedRoom), firstEpoch);
            List<List<JsonObject>> steadyViews = viewsOf(bob, steadyRoom);
            assertThat(steadyViews).as("the other shard's room keeps its one view").hasSize(1);
            assertThat(ids(steadyViews.get(0)))
                    .containsExactlyElementsOf(numbered("s-", 1, MESSAGES));
            assertContiguous(steadyViews.get(0));
        }
    }

    /**
     * What a member saw of the room on the restarted shard: its first view, then a fresh one in a
     * new epoch, since Redis kept the room's history.
     */
    protected void assertRestartedRoom(List<List<JsonObject>> views, String firstEpoch) {
        assertThat(views).as("the first view, then a fresh one").hasSize(2);
        assertThat(ids(views.get(0))).containsExactlyElementsOf(numbered("r-", 1, BEFORE_KILL));
        JsonObject fresh = views.get(1).get(0);
        assertThat(fresh.getString("epoch")).isNotEqualTo(firstEpoch);
        assertThat(fresh.getBoolean("recovered")).isFalse();
        assertThat(fresh.containsKey("id")).isFalse();
        assertThat(ids(views.get(1)))
                .as("every message acknowledged after the restart, once, in the fresh view")
                .containsExactlyElementsOf(numbered("r-", BEFORE_KILL + 1, MESSAGES));
        assertThat(views.get(1).get(1).getLong("seq")).isOne();
        assertContiguous(views.get(1));
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

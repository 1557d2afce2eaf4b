package dev.quarkchat.engine.redis;

import static dev.quarkchat.testing.FailoverViews.assertContiguous;
import static dev.quarkchat.testing.FailoverViews.ids;
import static dev.quarkchat.testing.FailoverViews.numbered;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.PostgresHistory;
import dev.quarkchat.testing.RedisClusterBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Tag;

import java.util.List;

/**
 * {@link ClusterShardRestartTest} with the durable store: PostgreSQL keeps and orders the messages,
 * so the room on the restarted shard keeps its epoch and its members their one view, with every
 * acknowledged message once.
 */
@QuarkusTest
@TestProfile(DurableClusterShardRestartTest.OwnClusterAndDatabase.class)
@Tag("e2e")
class DurableClusterShardRestartTest extends ClusterShardRestartTest {

    /** The test's own cluster, and a database of the shared PostgreSQL server. */
    public static class OwnClusterAndDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(PostgresHistory.Database.class),
                    new TestResourceEntry(RedisClusterBackplane.OwnCluster.class));
        }
    }

    @Override
    protected void assertRestartedRoom(List<List<JsonObject>> views, String firstEpoch) {
        assertThat(views).as("one view").hasSize(1);
        assertThat(ids(views.get(0))).containsExactlyElementsOf(numbered("r-", 1, MESSAGES));
        assertThat(views.get(0).get(0).getString("epoch")).isEqualTo(firstEpoch);
        assertContiguous(views.get(0));
    }
}

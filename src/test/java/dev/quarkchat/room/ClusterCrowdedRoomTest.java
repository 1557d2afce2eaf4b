package dev.quarkchat.room;

import dev.quarkchat.testing.RedisClusterBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Tag;

import java.util.Map;

/** {@link CrowdedRoomTest} on a Redis Cluster: the same bounds, counted on the room's shard. */
@QuarkusTest
@TestProfile(ClusterCrowdedRoomTest.SmallLimitsOnCluster.class)
@Tag("e2e")
class ClusterCrowdedRoomTest extends CrowdedRoomTest {

    /** Rooms on the cluster with limits small enough to cross. */
    public static class SmallLimitsOnCluster extends RedisClusterBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SmallLimits.limits();
        }
    }
}

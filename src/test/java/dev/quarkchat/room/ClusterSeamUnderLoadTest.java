package dev.quarkchat.room;

import dev.quarkchat.testing.RedisClusterBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Tag;

import java.util.Map;

/** {@link SeamUnderLoadTest}, with the history in a Redis Cluster. */
@QuarkusTest
@TestProfile(ClusterSeamUnderLoadTest.DeepClusterHistory.class)
@Tag("e2e")
class ClusterSeamUnderLoadTest extends SeamUnderLoadTest {

    /** Rooms on the cluster whose history holds whatever is sent while the client is away. */
    public static class DeepClusterHistory extends RedisClusterBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new DeepHistory().getConfigOverrides();
        }
    }
}

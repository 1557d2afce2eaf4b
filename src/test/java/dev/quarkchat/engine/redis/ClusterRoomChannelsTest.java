package dev.quarkchat.engine.redis;

import dev.quarkchat.testing.RedisCluster;
import dev.quarkchat.testing.RedisClusterBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Tag;

import java.util.List;
import java.util.Map;

/**
 * {@link RoomChannelsOnRedisTest} on a Redis Cluster: each room's channel is a sharded channel,
 * subscribed on the shard that owns the room.
 */
@QuarkusTest
@TestProfile(ClusterRoomChannelsTest.ShortGraceOnCluster.class)
@Tag("e2e")
class ClusterRoomChannelsTest extends RoomChannelsOnRedisTest {

    /** The cluster's rooms, with a channel let go soon after its room's last member here left. */
    public static class ShortGraceOnCluster extends RedisClusterBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new ShortGrace().getConfigOverrides();
        }
    }

    @Override
    List<String> channels() {
        return RedisCluster.shared().shardChannels(backplane.keyPrefix());
    }
}

package dev.quarkchat.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The test profile of the shared rooms on a Redis Cluster ({@code
 * quarkus.redis.client-type=cluster}) of three primaries ({@link RedisCluster#shared()}), emptied
 * for the tests of this profile.
 */
public class RedisClusterBackplane implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    /** Starts the cluster before the application and hands its nodes over. */
    public static class Server
            implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            RedisCluster cluster = RedisCluster.shared();
            cluster.flushAll();
            return settings(cluster);
        }

        /** The settings of an application whose rooms are shared through that cluster. */
        public static Map<String, String> settings(RedisCluster cluster) {
            return Map.of(
                    "chat.backplane",
                    "redis",
                    "quarkus.redis.hosts",
                    cluster.hosts(),
                    "quarkus.redis.client-type",
                    "cluster",
                    "chat.backplane.redis.check-interval",
                    "200ms");
        }

        @Override
        public void stop() {
            // The cluster outlives the profile: the next one empties it.
        }
    }

    /**
     * A cluster of the test's own, for tests that kill its nodes: started before the application,
     * with as many replicas of its first primary as the init argument {@code replicas} says, and
     * stopped after.
     */
    public static class OwnCluster
            implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

        private static volatile RedisCluster cluster;
        private int replicas;

        /** The cluster of the application under test. */
        public static RedisCluster cluster() {
            return cluster;
        }

        @Override
        public void init(Map<String, String> initArgs) {
            replicas = Integer.parseInt(initArgs.getOrDefault("replicas", "0"));
        }

        @Override
        public Map<String, String> start() {
            cluster = RedisCluster.start(replicas);
            return Server.settings(cluster);
        }

        @Override
        public void stop() {
            cluster.close();
        }
    }
}

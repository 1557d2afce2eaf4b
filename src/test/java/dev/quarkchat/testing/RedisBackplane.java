package dev.quarkchat.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The test profile of the shared rooms: {@code chat.backplane=redis} against a real Redis started
 * for the tests of this profile, which they reach through {@link Server#redis()}.
 */
public class RedisBackplane implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Server.class));
    }

    /** Starts Redis before the application and hands its address over. */
    public static class Server
            implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {

        private static volatile EmbeddedRedis redis;

        /** The server the application under test uses, to stop and restart it. */
        public static EmbeddedRedis redis() {
            return redis;
        }

        @Override
        public Map<String, String> start() {
            redis = EmbeddedRedis.start();
            return Map.of(
                    "chat.backplane",
                    "redis",
                    "quarkus.redis.hosts",
                    redis.uri(),
                    "chat.backplane.redis.check-interval",
                    "200ms");
        }

        @Override
        public void stop() {
            redis.close();
        }
    }
}

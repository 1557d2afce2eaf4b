package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * {@link CrowdedRoomTest} with the rooms shared through Redis: the same bounds, counted over all
 * instances.
 */
@QuarkusTest
@TestProfile(SharedCrowdedRoomTest.SharedSmallLimits.class)
class SharedCrowdedRoomTest extends CrowdedRoomTest {

    /** Shared rooms with limits small enough to cross. */
    public static class SharedSmallLimits extends RedisBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SmallLimits.limits();
        }
    }
}

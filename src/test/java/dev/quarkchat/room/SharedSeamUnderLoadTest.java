package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * {@link SeamUnderLoadTest} with the history in Redis: the seam between Redis' snapshot and the
 * live events.
 */
@QuarkusTest
@TestProfile(SharedSeamUnderLoadTest.DeepSharedHistory.class)
class SharedSeamUnderLoadTest extends SeamUnderLoadTest {

    /** Shared rooms whose history holds whatever is sent while the client is away. */
    public static class DeepSharedHistory extends RedisBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new DeepHistory().getConfigOverrides();
        }
    }
}

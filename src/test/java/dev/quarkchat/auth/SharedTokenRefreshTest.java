package dev.quarkchat.auth;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * {@link TokenRefreshTest}, with the rooms shared through Redis: a revoked grant leaves the shared
 * room too.
 */
@QuarkusTest
@TestProfile(SharedTokenRefreshTest.SharedRoomsShortNotice.class)
class SharedTokenRefreshTest extends TokenRefreshTest {

    /** The Redis backplane, with the same short notice and rate limit. */
    public static class SharedRoomsShortNotice extends RedisBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new TokenRefreshTest.ShortNotice().getConfigOverrides();
        }
    }
}

package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/** {@link SeamUnderLoadTest}, with messages kept in PostgreSQL and carried through Redis. */
@QuarkusTest
@TestProfile(SharedDurableSeamUnderLoadTest.Limits.class)
class SharedDurableSeamUnderLoadTest extends SeamUnderLoadTest {

    /** The base test's settings, on this store. */
    public static class Limits extends PostgresHistoryWithRedis {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new DeepHistory().getConfigOverrides();
        }
    }
}

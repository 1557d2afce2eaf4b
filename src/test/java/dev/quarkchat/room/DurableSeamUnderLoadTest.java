package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * {@link SeamUnderLoadTest}, with messages kept in PostgreSQL: the seam between the database's
 * snapshot and the live events.
 */
@QuarkusTest
@TestProfile(DurableSeamUnderLoadTest.Limits.class)
class DurableSeamUnderLoadTest extends SeamUnderLoadTest {

    /** The base test's settings, on this store. */
    public static class Limits extends PostgresHistory {
        @Override
        public Map<String, String> getConfigOverrides() {
            return new DeepHistory().getConfigOverrides();
        }
    }
}

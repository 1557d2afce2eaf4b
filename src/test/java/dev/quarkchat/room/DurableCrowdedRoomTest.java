package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/** {@link CrowdedRoomTest}, with messages kept in PostgreSQL. */
@QuarkusTest
@TestProfile(DurableCrowdedRoomTest.Limits.class)
class DurableCrowdedRoomTest extends CrowdedRoomTest {

    /** The base test's settings, on this store. */
    public static class Limits extends PostgresHistory {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SmallLimits.limits();
        }
    }
}

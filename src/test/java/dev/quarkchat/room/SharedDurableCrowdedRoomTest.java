package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/** {@link CrowdedRoomTest}, with messages kept in PostgreSQL and carried through Redis. */
@QuarkusTest
@TestProfile(SharedDurableCrowdedRoomTest.Limits.class)
class SharedDurableCrowdedRoomTest extends CrowdedRoomTest {

    /** The base test's settings, on this store. */
    public static class Limits extends PostgresHistoryWithRedis {
        @Override
        public Map<String, String> getConfigOverrides() {
            return SmallLimits.limits();
        }
    }
}

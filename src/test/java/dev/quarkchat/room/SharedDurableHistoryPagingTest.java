package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link HistoryPagingTest} in PostgreSQL with Redis carrying the messages. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableHistoryPagingTest extends HistoryPagingTest {

    @Override
    protected long oldestHeld(long lastSeq) {
        return 1;
    }
}

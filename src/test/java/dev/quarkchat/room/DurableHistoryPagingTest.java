package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link HistoryPagingTest} in PostgreSQL, which holds every message (until retention). */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableHistoryPagingTest extends HistoryPagingTest {

    @Override
    protected long oldestHeld(long lastSeq) {
        return 1;
    }
}

package dev.quarkchat.api;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link ServerApiTest}, with messages kept in PostgreSQL: the service flag is a column, and
 * history reads it back.
 */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableServerApiTest extends ServerApiTest {

    @Override
    boolean emptyRoomsTakeMessages() {
        return true;
    }
}

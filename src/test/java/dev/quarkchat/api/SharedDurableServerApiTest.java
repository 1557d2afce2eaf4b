package dev.quarkchat.api;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ServerApiTest}, with messages kept in PostgreSQL and carried through Redis. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableServerApiTest extends ServerApiTest {

    @Override
    boolean emptyRoomsTakeMessages() {
        return true;
    }
}

package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.util.List;

/** {@link MessageEditTest}, with messages kept in PostgreSQL and carried through Redis. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableMessageEditTest extends MessageEditTest {

    @Override
    protected List<String> stored(String room) {
        return DurableMessageEditTest.rowsOf(room);
    }
}

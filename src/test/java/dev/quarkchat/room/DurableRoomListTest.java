package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link RoomListTest}, with the room lists kept in PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableRoomListTest extends RoomListTest {}

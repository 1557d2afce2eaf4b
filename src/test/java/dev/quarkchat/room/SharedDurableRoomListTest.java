package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link RoomListTest}, with the room lists in PostgreSQL and the rooms shared through Redis. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableRoomListTest extends RoomListTest {}

package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link RoomListTest}, with the room lists kept in Redis. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedRoomListTest extends RoomListTest {}

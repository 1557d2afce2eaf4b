package dev.quarkchat.room;

import dev.quarkchat.testing.RedisClusterBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Tag;

/** {@link RoomMessagingTest}, with the rooms shared through a Redis Cluster. */
@QuarkusTest
@TestProfile(RedisClusterBackplane.class)
@Tag("e2e")
class ClusterRoomMessagingTest extends RoomMessagingTest {}

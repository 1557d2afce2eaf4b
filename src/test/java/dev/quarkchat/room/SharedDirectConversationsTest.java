package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link DirectConversationsTest}, with the rooms shared through Redis, which keeps the room lists.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedDirectConversationsTest extends DirectConversationsTest {}

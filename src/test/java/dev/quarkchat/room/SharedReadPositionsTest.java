package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link ReadPositionsTest}, with the rooms shared through Redis, which keeps the read positions.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedReadPositionsTest extends ReadPositionsTest {}

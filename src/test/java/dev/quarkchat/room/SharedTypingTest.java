package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link TypingTest}, with the rooms shared through Redis: the throttle is Redis' too. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedTypingTest extends TypingTest {}

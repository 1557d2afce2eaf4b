package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ReactionsTest}, with the rooms shared through Redis. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedReactionsTest extends ReactionsTest {}

package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link IdempotentSendTest}, with the rooms shared through Redis: the ids live in Redis, and are
 * looked up in the same script that gives a message its seq.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedIdempotentSendTest extends IdempotentSendTest {}

package dev.quarkchat.api;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ModerationApiTest} over the Redis backplane: bans kept in Redis, commands through it. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedModerationApiTest extends ModerationApiTest {}

package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link MentionsFlowTest}, with mentions counted by Redis and told through it. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedMentionsFlowTest extends MentionsFlowTest {}

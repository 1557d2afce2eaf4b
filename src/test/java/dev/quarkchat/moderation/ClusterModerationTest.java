package dev.quarkchat.moderation;

import dev.quarkchat.testing.RedisClusterBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.Tag;

/** {@link SharedModerationTest}, with the bans and the shared channel on a Redis Cluster. */
@QuarkusTest
@TestProfile(RedisClusterBackplane.class)
@Tag("e2e")
class ClusterModerationTest extends SharedModerationTest {}

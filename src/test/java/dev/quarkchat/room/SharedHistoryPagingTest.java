package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link HistoryPagingTest}, with the rooms and their capped logs in Redis. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedHistoryPagingTest extends HistoryPagingTest {}

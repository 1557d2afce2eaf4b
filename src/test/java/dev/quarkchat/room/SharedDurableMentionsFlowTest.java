package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link MentionsFlowTest}, with mentions counted by PostgreSQL and told through Redis. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableMentionsFlowTest extends MentionsFlowTest {}

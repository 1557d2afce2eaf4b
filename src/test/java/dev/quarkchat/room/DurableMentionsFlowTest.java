package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link MentionsFlowTest}, with mentions counted by PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableMentionsFlowTest extends MentionsFlowTest {}

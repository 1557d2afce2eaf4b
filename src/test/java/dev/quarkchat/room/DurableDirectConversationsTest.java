package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link DirectConversationsTest}, with the conversations and room lists kept in PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableDirectConversationsTest extends DirectConversationsTest {}

package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link TypingTest}, with messages kept in PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableTypingTest extends TypingTest {}

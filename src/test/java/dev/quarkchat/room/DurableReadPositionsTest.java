package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ReadPositionsTest}, with messages and read positions kept in PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableReadPositionsTest extends ReadPositionsTest {}

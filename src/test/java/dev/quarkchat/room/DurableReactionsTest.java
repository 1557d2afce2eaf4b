package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ReactionsTest}, with reactions kept in PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableReactionsTest extends ReactionsTest {}

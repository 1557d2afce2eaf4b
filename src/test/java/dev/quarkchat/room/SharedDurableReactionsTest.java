package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ReactionsTest}, with reactions in PostgreSQL and the rooms shared through Redis. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableReactionsTest extends ReactionsTest {}

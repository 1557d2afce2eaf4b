package dev.quarkchat.room;

import dev.quarkchat.testing.PostgresHistoryWithRedis;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link TypingTest}, with messages kept in PostgreSQL and carried through Redis. */
@QuarkusTest
@TestProfile(PostgresHistoryWithRedis.class)
class SharedDurableTypingTest extends TypingTest {}

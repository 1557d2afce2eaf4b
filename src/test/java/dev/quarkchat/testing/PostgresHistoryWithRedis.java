package dev.quarkchat.testing;

import java.util.List;

/**
 * The test profile of the durable store shared by instances: PostgreSQL keeps the messages and
 * Redis carries them and presence ({@code chat.backplane=redis}), both real servers.
 */
public class PostgresHistoryWithRedis extends PostgresHistory {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(PostgresHistory.Database.class),
                new TestResourceEntry(RedisBackplane.Server.class));
    }
}

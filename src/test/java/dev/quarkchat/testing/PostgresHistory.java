package dev.quarkchat.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test profile of the durable store on one instance: {@code chat.history.store=postgres}
 * against a real PostgreSQL, in a database of the application's own ({@link Database#name()}).
 */
public class PostgresHistory implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Database.class));
    }

    /** Makes the application's database before it starts and hands its address over. */
    public static class Database implements QuarkusTestResourceLifecycleManager {

        private static volatile String name;

        /** The database of the application under test. */
        public static String name() {
            return name;
        }

        @Override
        public Map<String, String> start() {
            return settings();
        }

        @Override
        public void stop() {
            // The server outlives the application: the next profile makes its own database.
        }

        static Map<String, String> settings() {
            PostgresServer server = PostgresServer.shared();
            name = server.createDatabase();
            return PostgresHistory.settings(server, name);
        }
    }

    /** What an application needs to keep its history in that database of that server. */
    public static Map<String, String> settings(PostgresServer server, String database) {
        Map<String, String> settings = new HashMap<>();
        settings.put("chat.history.store", "postgres");
        settings.put("quarkus.datasource.reactive.url", server.reactiveUrl(database));
        settings.put("quarkus.datasource.username", server.user());
        // Test resources' settings are not visible to configuration factories, which derive
        // these two from chat.history.store in a deployed service.
        settings.put("quarkus.datasource.active", "true");
        settings.put("quarkus.datasource.jdbc.url", "jdbc:" + server.reactiveUrl(database));
        settings.put("chat.history.postgres.check-interval", "200ms");
        return settings;
    }
}

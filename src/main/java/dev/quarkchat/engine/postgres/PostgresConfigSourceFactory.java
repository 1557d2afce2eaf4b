package dev.quarkchat.engine.postgres;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ties the datasource to {@code chat.history.store}, so that one setting turns the store on: with
 * {@code memory} the datasource stays inactive (no pool, no migration) even if a URL is set; with
 * {@code postgres} Flyway's JDBC URL follows {@code quarkus.datasource.reactive.url} unless set
 * itself, so the database's address is given once.
 */
public class PostgresConfigSourceFactory implements ConfigSourceFactory {

    /** Below application.properties (250), so that explicit configuration always wins. */
    private static final int ORDINAL = 200;

    private static final String STORE = "chat.history.store";
    private static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    private static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    private static final String ACTIVE = "quarkus.datasource.active";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String store = valueOf(context.getValue(STORE));
        if (store == null || !store.trim().toLowerCase(Locale.ROOT).equals("postgres")) {
            return List.of(source(Map.of(ACTIVE, "false")));
        }
        // Said even though active is the datasource's default: the build runs this factory too,
        // with the memory store, and Quarkus keeps the inactive datasource it saw then as the
        // default of the packaged application.
        Map<String, String> properties = new HashMap<>();
        properties.put(ACTIVE, "true");
        String reactiveUrl = valueOf(context.getValue(REACTIVE_URL));
        if (reactiveUrl != null && valueOf(context.getValue(JDBC_URL)) == null) {
            String url = reactiveUrl.trim();
            if (url.startsWith("postgres://")) {
                url = "postgresql://" + url.substring("postgres://".length());
            }
            properties.put(JDBC_URL, "jdbc:" + url);
        }
        return List.of(source(properties));
    }

    private static String valueOf(ConfigValue value) {
        return value == null ? null : value.getValue();
    }

    private static ConfigSource source(Map<String, String> properties) {
        return new PropertiesConfigSource(properties, "chat.history.store datasource", ORDINAL);
    }
}

package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.HistoryConfig;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Migrates the schema of the PostgreSQL store ({@code db/migration}) as the service starts, before
 * the rooms, and refuses to start, in one line that says what to check, when there is no database
 * to migrate: no URL, or one the service cannot reach or log in to. Flyway's own migrate-at-start
 * stops the start just the same, but with a stack trace that names no setting.
 */
@ApplicationScoped
class SchemaMigration {

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);

    void onStart(
            @Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event,
            HistoryConfig history,
            Instance<Flyway> flyway,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url) {
        if (history.store() != HistoryConfig.Store.POSTGRES) {
            return;
        }
        if (url.isEmpty()) {
            throw new ConfigurationException(
                    "chat.history.store is postgres, but no database is configured. Set"
                            + " quarkus.datasource.reactive.url (environment variable"
                            + " QUARKUS_DATASOURCE_REACTIVE_URL) to postgresql://host:5432/database;"
                            + " see docs/operations.md.");
        }
        try {
            flyway.get().migrate();
        } catch (FlywayException failure) {
            LOG.debug("The schema migration failed", failure);
            throw new ConfigurationException(
                    "Cannot migrate the schema of the PostgreSQL store: "
                            + rootMessage(failure)
                            + ". Check that the database is up and that"
                            + " quarkus.datasource.reactive.url, quarkus.datasource.username and"
                            + " quarkus.datasource.password (environment variables"
                            + " QUARKUS_DATASOURCE_REACTIVE_URL, QUARKUS_DATASOURCE_USERNAME and"
                            + " QUARKUS_DATASOURCE_PASSWORD) name it and a user that owns the"
                            + " schema; see docs/operations.md.");
        }
    }

    /**
     * What the database or its driver said (the innermost SQL exception: its message names the
     * address or the user), without the layers Flyway wraps around it.
     */
    private static String rootMessage(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException && cause.getMessage() != null) {
                message = cause.getMessage();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        if (message == null) {
            return failure.toString();
        }
        return message.lines().findFirst().orElse(message).replaceFirst("\\.+$", "");
    }
}

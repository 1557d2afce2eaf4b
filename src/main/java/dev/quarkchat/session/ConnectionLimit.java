package dev.quarkchat.session;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.engine.UserConnections;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.scheduling.Waves;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code chat.max-connections-per-user} for the whole service: each connection is counted with its
 * user's others on every instance. When the engine cannot answer (Redis unreachable), this
 * instance's own count decides rather than refusing everyone, and the next refresh puts the
 * connection in the shared count.
 */
@ApplicationScoped
public class ConnectionLimit {

    private static final Logger LOG = Logger.getLogger(ConnectionLimit.class);

    private final UserConnections counted;
    private final ChatSessions sessions;
    private final PeriodicTasks tasks;
    private final int limit;

    ConnectionLimit(
            UserConnections counted,
            ChatSessions sessions,
            PeriodicTasks tasks,
            ChatConfig config) {
        this.counted = counted;
        this.sessions = sessions;
        this.tasks = tasks;
        this.limit = config.maxConnectionsPerUser();
    }

    void start(@Observes StartupEvent event) {
        counted.refreshInterval()
                .ifPresent(
                        every -> tasks.every(every, "connections per user refresh", this::refresh));
    }

    /** How many connections one user may hold. */
    public int limit() {
        return limit;
    }

    /** Counts the new connection; answers false if it is one too many for its user. */
    public CompletionStage<Boolean> admit(ChatSession session) {
        return counted.admit(session.user(), session.id(), limit)
                .exceptionally(
                        failure -> {
                            LOG.debugf(
                                    "Connection %s counted on this instance only: %s",
                                    session.id(), failure);
                            return sessions.connectionsOf(session.user()) <= limit;
                        });
    }

    /** Stops counting a connection that ended (or that was never counted). */
    public void release(ChatSession session) {
        counted.release(session.user(), session.id())
                .whenComplete(
                        (done, failure) -> {
                            if (failure != null) {
                                // It expires, unrefreshed, like a crashed instance's connections.
                                LOG.debugf("Connection %s not released: %s", session.id(), failure);
                            }
                        });
    }

    private void refresh() {
        Map<String, List<String>> byUser = new HashMap<>();
        for (ChatSession session : sessions.all()) {
            if (!session.isEnding()) {
                byUser.computeIfAbsent(session.user(), user -> new ArrayList<>()).add(session.id());
            }
        }
        Waves.inWaves(
                List.copyOf(byUser.entrySet()),
                Waves.REQUESTS_PER_WAVE,
                user ->
                        counted.refresh(user.getKey(), user.getValue())
                                .whenComplete(
                                        (done, failure) -> {
                                            if (failure != null) {
                                                LOG.debugf(
                                                        "Connections of %s not refreshed: %s",
                                                        LogSafe.escaped(user.getKey()), failure);
                                            }
                                        }));
    }
}

package dev.quarkchat.lifecycle;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.session.FrameSender;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * On shutdown (SIGTERM in Kubernetes) every client gets close code 1001 "going away" rather than a
 * cut connection, so that it reconnects at once, to another instance behind the Service if there is
 * one, and new upgrades are refused with 503 meanwhile.
 *
 * <p>This runs on Quarkus' shutdown-delay event ({@code quarkus.shutdown.delay-enabled}), which
 * comes before the HTTP server stops: by the time of the ordinary {@code ShutdownEvent}, Vert.x has
 * already closed every WebSocket with a plain 1000.
 */
@ApplicationScoped
public class ShutdownNotice {

    private static final Logger LOG = Logger.getLogger(ShutdownNotice.class);

    private final ChatSessions sessions;
    private final FrameSender sender;
    private final Duration closeTimeout;
    private volatile boolean draining;

    ShutdownNotice(ChatSessions sessions, FrameSender sender, ChatConfig config) {
        this.sessions = sessions;
        this.sender = sender;
        this.closeTimeout = config.shutdownCloseTimeout();
    }

    /** Whether the instance is shutting down and takes no new connections. */
    public boolean isDraining() {
        return draining;
    }

    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        List<Uni<Void>> closing = new ArrayList<>();
        for (ChatSession session : sessions.all()) {
            sender.closing(
                            session,
                            DisconnectReason.SERVER_SHUTDOWN,
                            CloseCodes.GOING_AWAY,
                            "server shutting down")
                    .ifPresent(closing::add);
        }
        if (closing.isEmpty()) {
            return;
        }
        LOG.infof("Closing %d connections with 1001", closing.size());
        try {
            // The shutdown thread may wait: nothing else runs on it.
            Uni.join().all(closing).andCollectFailures().await().atMost(closeTimeout);
        } catch (RuntimeException notAllClosed) {
            LOG.warnf(
                    "Not every connection closed within %s: %s",
                    closeTimeout, notAllClosed.toString());
        }
    }
}

package dev.quarkchat.lifecycle;

import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.session.FrameSender;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * Frees dead sockets. Websockets-next pings every connection each ping interval; this sweep, on a
 * Vert.x timer apart from any message handling, drops every connection that has shown no sign of
 * life (pong or frame) for the pong timeout. A dead peer is detected at most one timeout plus half
 * an interval after its last sign of life.
 */
@ApplicationScoped
public class KeepaliveSweeper {

    private static final Logger LOG = Logger.getLogger(KeepaliveSweeper.class);
    private static final String PING_INTERVAL = "quarkus.websockets-next.server.auto-ping-interval";

    /**
     * Sweeps per ping interval: twice, so detection lags the timeout by half an interval at most.
     */
    private static final int SWEEPS_PER_INTERVAL = 2;

    private final PeriodicTasks tasks;
    private final ChatSessions sessions;
    private final FrameSender sender;
    private final Optional<Duration> pingInterval;
    private final Optional<Duration> pongTimeout;

    KeepaliveSweeper(
            PeriodicTasks tasks,
            ChatSessions sessions,
            FrameSender sender,
            KeepaliveConfig config,
            @ConfigProperty(name = PING_INTERVAL) Optional<Duration> pingInterval) {
        this.tasks = tasks;
        this.sessions = sessions;
        this.sender = sender;
        this.pingInterval = pingInterval;
        this.pongTimeout = config.pongTimeout();
    }

    void start(@Observes StartupEvent event) {
        if (pingInterval.isEmpty()) {
            if (pongTimeout.isPresent()) {
                throw new ConfigurationException(
                        "chat.keepalive.pong-timeout needs "
                                + PING_INTERVAL
                                + ": without pings, live but quiet clients would be dropped");
            }
            LOG.warnf("%s is not set: dead sockets are not detected", PING_INTERVAL);
            return;
        }
        Duration interval = pingInterval.get();
        Duration timeout =
                pongTimeout.orElse(interval.multipliedBy(KeepaliveConfig.DEFAULT_MISSED_PINGS));
        if (timeout.compareTo(interval) < 0) {
            throw new ConfigurationException(
                    "chat.keepalive.pong-timeout ("
                            + timeout
                            + ") must not be shorter than "
                            + PING_INTERVAL
                            + " ("
                            + interval
                            + "): every client would be dropped between two pings");
        }
        long timeoutNanos = timeout.toNanos();
        tasks.every(
                interval.dividedBy(SWEEPS_PER_INTERVAL),
                "keepalive sweep",
                () -> sweep(timeoutNanos));
        LOG.debugf("Keepalive: ping every %s, drop after %s of silence", interval, timeout);
    }

    private void sweep(long timeoutNanos) {
        long now = System.nanoTime();
        for (ChatSession session : sessions.all()) {
            if (session.nanosSinceSeen(now) > timeoutNanos) {
                sender.drop(session, DisconnectReason.PONG_TIMEOUT);
            }
        }
    }
}

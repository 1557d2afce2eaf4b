package dev.quarkchat.lifecycle;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.metrics.DisconnectReason;
import dev.quarkchat.protocol.CloseCodes;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.ChatSessions;
import dev.quarkchat.session.FrameSender;

import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;

/**
 * A connection lives no longer than its token: once the token's {@code exp} has passed, it is
 * closed with 1008 "token expired", and the client reconnects with a fresh token. Before that, when
 * less than {@code chat.token-expiry-notice} is left, the connection is sent {@code expiring} once,
 * so that its client can send a {@code refresh} instead. One sweep over all sessions each second
 * does both, not a timer per connection (a timer is memory every idle socket would hold; see
 * bench/README.md), so a connection outlives its token by a second at most. {@code exp} counts
 * whole seconds anyway.
 */
@ApplicationScoped
public class TokenExpiry {

    /** How often every session's token is checked: how late, at most, an expired one is closed. */
    private static final Duration SWEEP = Duration.ofSeconds(1);

    private final PeriodicTasks tasks;
    private final ChatSessions sessions;
    private final FrameSender sender;
    private final Duration notice;

    TokenExpiry(PeriodicTasks tasks, ChatSessions sessions, FrameSender sender, ChatConfig config) {
        this.tasks = tasks;
        this.sessions = sessions;
        this.sender = sender;
        this.notice = config.tokenExpiryNotice();
    }

    void start(@Observes StartupEvent event) {
        tasks.every(SWEEP, "token expiry sweep", () -> sweep(Instant.now()));
    }

    /**
     * Sends {@code expiring} if the connection's token has less than the notice left and it was not
     * sent for this token yet. Only on the connection's event loop, where a refresh replaces the
     * token.
     */
    public void noticeIfDue(ChatSession session) {
        Instant now = Instant.now();
        if (!session.expiryNoticeSent() && isDue(session, now)) {
            session.markExpiryNoticeSent();
            long secondsLeft =
                    Math.max(
                            0,
                            Duration.between(now, session.credentials().tokenExpiry()).toSeconds());
            sender.send(session, ServerFrames.expiring(secondsLeft));
        }
    }

    private boolean isDue(ChatSession session, Instant now) {
        return !notice.isZero() && session.credentials().tokenExpiry().isBefore(now.plus(notice));
    }

    private void sweep(Instant now) {
        for (ChatSession session : sessions.all()) {
            if (!session.credentials().tokenExpiry().isAfter(now)) {
                sender.close(
                        session,
                        DisconnectReason.TOKEN_EXPIRED,
                        CloseCodes.POLICY_VIOLATION,
                        "token expired, reconnect with a new one");
            } else if (!session.expiryNoticeSent() && isDue(session, now)) {
                // Decided again on the connection's own event loop, so that a refresh there cannot
                // interleave.
                session.afterQueuedWrites(() -> noticeIfDue(session));
            }
        }
    }
}

package dev.quarkchat.chat;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.quarkchat.protocol.CloseCodes;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * A connection lives no longer than the token it opened with: once the token's {@code exp} has passed, it is
 * closed with 1008 "token expired", and the client reconnects with a fresh token. One sweep over all sessions
 * each second does it, not a timer per connection (a timer costs each idle socket ~200 bytes;
 * see README, Performance), so a connection outlives its token by a second at most. {@code exp} counts whole
 * seconds anyway.
 */
@ApplicationScoped
class TokenExpiry {

    /** How often every session's token is checked: how late, at most, an expired one is closed. */
    private static final long SWEEP_MILLIS = 1_000;

    private final Vertx vertx;
    private final ChatSessions sessions;
    private final FrameSender sender;
    private long timerId = -1;

    TokenExpiry(Vertx vertx, ChatSessions sessions, FrameSender sender) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.sender = sender;
    }

    void start(@Observes StartupEvent event) {
        timerId = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep(Instant.now()));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private void sweep(Instant now) {
        for (ChatSession session : sessions.all()) {
            if (!session.credentials().tokenExpiry().isAfter(now)) {
                sender.close(session, DisconnectReason.TOKEN_EXPIRED, CloseCodes.POLICY_VIOLATION,
                        "token expired, reconnect with a new one");
            }
        }
    }
}

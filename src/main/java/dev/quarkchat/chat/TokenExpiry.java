package dev.quarkchat.chat;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.quarkchat.protocol.CloseCodes;
import io.vertx.core.Vertx;

/**
 * A connection lives no longer than the token it opened with: at the token's {@code exp} it is closed with
 * 1008 "token expired", and the client reconnects with a fresh token.
 */
@ApplicationScoped
class TokenExpiry {

    /** Vert.x timers need at least a millisecond. */
    private static final long MIN_DELAY_MILLIS = 1;

    private final Vertx vertx;
    private final FrameSender sender;

    TokenExpiry(Vertx vertx, FrameSender sender) {
        this.vertx = vertx;
        this.sender = sender;
    }

    void watch(ChatSession session) {
        long delay = Math.max(MIN_DELAY_MILLIS,
                Duration.between(Instant.now(), session.credentials().tokenExpiry()).toMillis());
        session.expiryTimerId(vertx.setTimer(delay, id -> sender.close(session, DisconnectReason.TOKEN_EXPIRED,
                CloseCodes.POLICY_VIOLATION, "token expired, reconnect with a new one")));
    }

    void forget(ChatSession session) {
        if (session.expiryTimerId() != ChatSession.NO_TIMER) {
            vertx.cancelTimer(session.expiryTimerId());
        }
    }
}

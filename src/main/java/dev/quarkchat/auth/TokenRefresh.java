package dev.quarkchat.auth;

import dev.quarkchat.lifecycle.TokenExpiry;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.TokenRefreshOutcome;
import dev.quarkchat.protocol.ClientCommand;
import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.room.RoomRegistry;
import dev.quarkchat.session.ChatSession;
import dev.quarkchat.session.Credentials;
import dev.quarkchat.session.FrameSender;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * A {@code refresh}: the connection takes a new token without reconnecting. The token is verified
 * exactly as at the handshake, by SmallRye JWT's own parser with the application's {@code
 * mp.jwt.verify.*} settings, and read by the same {@link TokenClaims}; it must name the
 * connection's user. Verifying costs a signature check and may fetch the issuer's keys, so it runs
 * on a worker thread; the result is applied back on the connection's event loop, where its other
 * frames are handled, so that it never races them.
 *
 * <p>An accepted token replaces the connection's expiry and private-room grants: a private room it
 * no longer grants is left at once (a {@code left} with reason {@code access_revoked}). A refused
 * one changes nothing: the old token's {@code exp} still closes the connection. One refresh at a
 * time per connection, so that a flood of them holds at most one worker.
 */
@ApplicationScoped
public class TokenRefresh {

    private static final Logger LOG = Logger.getLogger(TokenRefresh.class);

    private final Vertx vertx;
    private final JWTParser parser;
    private final TokenClaims claims;
    private final RoomAccess access;
    private final RoomRegistry rooms;
    private final FrameSender sender;
    private final TokenExpiry expiry;
    private final ChatMetrics metrics;

    TokenRefresh(
            Vertx vertx,
            JWTParser parser,
            TokenClaims claims,
            RoomAccess access,
            RoomRegistry rooms,
            FrameSender sender,
            TokenExpiry expiry,
            ChatMetrics metrics) {
        this.vertx = vertx;
        this.parser = parser;
        this.claims = claims;
        this.access = access;
        this.rooms = rooms;
        this.sender = sender;
        this.expiry = expiry;
        this.metrics = metrics;
    }

    /**
     * Starts verifying the token; called on the connection's event loop, which gets the answer
     * back.
     */
    public void refresh(ChatSession session, ClientCommand.Refresh refresh) {
        if (!session.startRefresh()) {
            sender.refuse(
                    session,
                    ErrorCode.RATE_LIMITED,
                    "a refresh is already being checked: wait for its answer",
                    refresh.id());
            return;
        }
        String user = session.user();
        vertx.getOrCreateContext()
                .executeBlocking(() -> verify(user, refresh.token()), false)
                .onComplete(
                        verified -> {
                            session.refreshDone();
                            conclude(session, verified, refresh.id());
                        });
    }

    /** On a worker thread: the token's credentials, if it is genuine and names this user. */
    private Credentials verify(String user, String token) throws RefusedTokenException {
        Credentials credentials;
        try {
            credentials = claims.read(parser.parse(token));
        } catch (ParseException invalid) {
            LOG.debugf("Refresh refused: %s", invalid.getMessage());
            throw new RefusedTokenException(
                    "the token is not valid: malformed, badly signed, from another issuer, "
                            + "expired or issued for too long");
        } catch (TokenClaims.UnacceptableTokenException unacceptable) {
            throw new RefusedTokenException("the token names no user the chat accepts");
        }
        if (!credentials.user().equals(user)) {
            LOG.debugf(
                    "Refresh refused: the token is for %s, the connection for %s",
                    LogSafe.escaped(credentials.user()), LogSafe.escaped(user));
            throw new RefusedTokenException("the token is for another user than this connection's");
        }
        return credentials;
    }

    /** Back on the connection's event loop. */
    private void conclude(
            ChatSession session, AsyncResult<Credentials> verified, Optional<String> id) {
        if (verified.succeeded()) {
            metrics.tokenRefreshed(TokenRefreshOutcome.ACCEPTED);
            apply(session, verified.result(), id);
        } else if (verified.cause() instanceof RefusedTokenException refused) {
            metrics.tokenRefreshed(TokenRefreshOutcome.REFUSED);
            sender.refuse(session, ErrorCode.INVALID_TOKEN, refused.getMessage(), id);
        } else {
            LOG.errorf(
                    verified.cause(),
                    "Failed to verify a refreshed token on connection %s",
                    session.id());
            sender.refuse(
                    session,
                    ErrorCode.INTERNAL_ERROR,
                    "the server failed to handle this frame",
                    id);
        }
    }

    private void apply(ChatSession session, Credentials refreshed, Optional<String> id) {
        if (session.isEnding() || session.connection().isClosed()) {
            return;
        }
        session.renew(refreshed);
        for (String room : List.copyOf(session.rooms())) {
            if (!access.mayJoin(refreshed, room)) {
                rooms.remove(session, room, ServerFrames.LeaveReason.ACCESS_REVOKED);
            }
        }
        sender.send(session, ServerFrames.refreshed(refreshed.tokenExpiry(), id));
        expiry.noticeIfDue(session);
    }

    /**
     * A token that verified badly, or names no user or another one; its message goes to the client.
     */
    private static final class RefusedTokenException extends Exception {

        private static final long serialVersionUID = 1L;

        RefusedTokenException(String message) {
            // No stack trace: an expected outcome of bad input, never shown anywhere.
            super(message, null, false, false);
        }
    }
}

package dev.quarkchat.auth;

import dev.quarkchat.lifecycle.ShutdownNotice;
import dev.quarkchat.moderation.Bans;
import dev.quarkchat.protocol.HttpStatus;
import dev.quarkchat.protocol.UserName;
import dev.quarkchat.session.Credentials;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;

/**
 * The last step of an accepted upgrade: refuses it with 503 while the instance shuts down, else
 * remembers what the token says ({@link Credentials}) and the connection's TCP transport, so that
 * the chat never needs a request context per frame and can drop a dead socket without a close
 * handshake. Authentication itself happened before (the {@code chat} HTTP permission in
 * application.properties); an anonymous identity here is refused all the same, and so is a token
 * without any of the claims of {@code chat.user-name.claims} (401). A name that breaks the {@link
 * UserName} rule is refused with 422, before any frame shows it, and a user a moderator banned from
 * the chat with 403 (checked against this instance's copy of the bans, without a round trip). The
 * claims are read by {@link TokenClaims}, as for a token refreshed later on the open connection;
 * then the upgrade lets go of the token and the identity ({@link UpgradeRelease}).
 */
@ApplicationScoped
public class ConnectionHandshake implements HttpUpgradeCheck {

    private static final TypedKey<Credentials> CREDENTIALS = new TypedKey<>("chat.credentials");
    private static final TypedKey<HttpConnection> TRANSPORT = new TypedKey<>("chat.transport");

    private final ShutdownNotice shutdown;
    private final TokenClaims claims;
    private final Bans bans;
    private final UpgradeRelease release;

    ConnectionHandshake(
            ShutdownNotice shutdown, TokenClaims claims, Bans bans, UpgradeRelease release) {
        this.shutdown = shutdown;
        this.claims = claims;
        this.bans = bans;
        this.release = release;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (shutdown.isDraining()) {
            return CheckResult.rejectUpgrade(HttpStatus.SERVICE_UNAVAILABLE);
        }
        return context.securityIdentity()
                .map(
                        identity -> {
                            if (identity == null
                                    || identity.isAnonymous()
                                    || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                                return CheckResult.rejectUpgradeSync(HttpStatus.UNAUTHORIZED);
                            }
                            try {
                                Credentials credentials = claims.read(token);
                                if (bans.bannedFromChat(credentials.user(), Instant.now())) {
                                    return CheckResult.rejectUpgradeSync(HttpStatus.FORBIDDEN);
                                }
                                context.userData().put(CREDENTIALS, credentials);
                            } catch (TokenClaims.UnacceptableTokenException unacceptable) {
                                return CheckResult.rejectUpgradeSync(
                                        unacceptable.fault() == TokenClaims.Fault.INVALID_NAME
                                                ? HttpStatus.UNPROCESSABLE_CONTENT
                                                : HttpStatus.UNAUTHORIZED);
                            }
                            context.userData().put(TRANSPORT, context.httpRequest().connection());
                            release.release(context.httpRequest());
                            return CheckResult.permitUpgradeSync();
                        });
    }

    public static Credentials credentials(WebSocketConnection connection) {
        return connection.userData().get(CREDENTIALS);
    }

    /** The TCP connection under the WebSocket; closing it ends the socket at once. */
    public static HttpConnection transport(WebSocketConnection connection) {
        return connection.userData().get(TRANSPORT);
    }
}

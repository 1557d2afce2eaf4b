package dev.quarkchat.chat;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;

/**
 * The last step of an accepted upgrade: refuses it with 503 while the instance shuts down, else remembers
 * who the user is and the connection's TCP transport, so
 * that the chat never needs a request context per frame and can drop a dead socket without a close
 * handshake. Authentication itself happened before (the {@code chat} HTTP permission in
 * application.properties); an anonymous identity here is refused all the same.
 */
@ApplicationScoped
public class ConnectionHandshake implements HttpUpgradeCheck {

    private static final int UNAUTHORIZED = 401;
    private static final int SERVICE_UNAVAILABLE = 503;
    private static final TypedKey<String> USER = new TypedKey<>("chat.user");
    private static final TypedKey<HttpConnection> TRANSPORT = new TypedKey<>("chat.transport");

    private final ShutdownNotice shutdown;

    ConnectionHandshake(ShutdownNotice shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (shutdown.isDraining()) {
            return CheckResult.rejectUpgrade(SERVICE_UNAVAILABLE);
        }
        return context.securityIdentity().map(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.rejectUpgradeSync(UNAUTHORIZED);
            }
            context.userData().put(USER, userName(identity));
            context.userData().put(TRANSPORT, context.httpRequest().connection());
            return CheckResult.permitUpgradeSync();
        });
    }

    /** The user name from the token: {@code upn}, else {@code preferred_username}, else {@code sub}. */
    static String user(WebSocketConnection connection) {
        return connection.userData().get(USER);
    }

    /** The TCP connection under the WebSocket; closing it ends the socket at once. */
    static HttpConnection transport(WebSocketConnection connection) {
        return connection.userData().get(TRANSPORT);
    }

    private static String userName(SecurityIdentity identity) {
        return identity.getPrincipal().getName();
    }
}

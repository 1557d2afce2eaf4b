package dev.quarkchat.auth;

import dev.quarkchat.protocol.ChatUpgrades;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Lets an accepted chat upgrade leave nothing of its HTTP request behind but what the chat keeps of
 * it ({@code Credentials}). With Quarkus security present, websockets-next keeps the upgrade's
 * routing context for the socket's whole life whenever it carries a user, so that callbacks could
 * ask for the security identity (the chat never does): the request, the response, the identity and
 * the parsed token stay with every idle connection. Vert.x and websockets-next also keep the
 * request's headers, the token among them. Once {@link ConnectionHandshake} has read the token, the
 * routing context forgets its user, so that websockets-next finds no identity to keep the context
 * for, and the headers keep only what the handshake still reads.
 *
 * <p>An upgrade check is handed only the HTTP request, so this filter, which runs after
 * authentication and authorization, lends the check the routing context by the request's
 * connection, for as long as the routes after it run.
 */
@ApplicationScoped
class UpgradeRelease {

    /** After authorization, before the routes: the user is known and allowed. */
    private static final int PRIORITY = SecurityHandlerPriorities.AUTHORIZATION / 2;

    private static final String SUBPROTOCOLS = "Sec-WebSocket-Protocol";

    /**
     * What Vert.x reads to answer the upgrade, and the origin check, which may run after the
     * handshake's (lower case). The rest, cookies and a browser's dozen headers among them, would
     * stay with the socket for nothing.
     */
    private static final Set<String> HANDSHAKE_HEADERS =
            Set.of(
                    "host",
                    "origin",
                    "upgrade",
                    "connection",
                    "sec-websocket-key",
                    "sec-websocket-version",
                    "sec-websocket-protocol",
                    "sec-websocket-extensions");

    /** How a browser sends its token as a subprotocol (see application.properties). */
    private static final String TOKEN_SUBPROTOCOL = "quarkus-http-upgrade#";

    private final Map<HttpConnection, RoutingContext> underWay = new ConcurrentHashMap<>();

    void register(@Observes Filters filters) {
        filters.register(this::lend, PRIORITY);
    }

    private void lend(RoutingContext context) {
        if (!ChatUpgrades.isChatUpgrade(context)) {
            context.next();
            return;
        }
        HttpConnection connection = context.request().connection();
        underWay.put(connection, context);
        try {
            context.next();
        } finally {
            underWay.remove(connection, context);
        }
    }

    /**
     * Drops from the request's headers all but what the WebSocket handshake still reads, the token
     * and cookies first, and the user from its routing context: the upgrade is accepted and its
     * credentials are taken.
     */
    void release(HttpServerRequest request) {
        MultiMap headers = request.headers();
        List<String> unread =
                headers.names().stream()
                        .filter(name -> !HANDSHAKE_HEADERS.contains(name.toLowerCase(Locale.ROOT)))
                        .toList();
        unread.forEach(headers::remove);
        String offered = headers.get(SUBPROTOCOLS);
        if (offered != null && offered.contains(TOKEN_SUBPROTOCOL)) {
            // The handshake still picks its subprotocol from the others.
            headers.set(
                    SUBPROTOCOLS,
                    Arrays.stream(offered.split(",", -1))
                            .map(String::strip)
                            .filter(protocol -> !protocol.startsWith(TOKEN_SUBPROTOCOL))
                            .collect(Collectors.joining(", ")));
        }
        RoutingContext context = underWay.remove(request.connection());
        if (context != null) {
            context.userContext().clear();
            context.remove(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        }
    }
}

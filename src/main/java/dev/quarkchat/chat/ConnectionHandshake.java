package dev.quarkchat.chat;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpConnection;

/**
 * The last step of an accepted upgrade: refuses it with 503 while the instance shuts down, else remembers
 * what the token says ({@link Credentials}) and the connection's TCP transport, so that the chat never needs
 * a request context per frame and can drop a dead socket without a close handshake. Authentication itself
 * happened before (the {@code chat} HTTP permission in application.properties); an anonymous identity here
 * is refused all the same.
 */
@ApplicationScoped
public class ConnectionHandshake implements HttpUpgradeCheck {

    /** The token claim that lists the private rooms a user may join. */
    public static final String ROOMS_CLAIM = "rooms";
    /** A {@code groups} entry {@code room:<name>} grants that private room too. */
    public static final String ROOM_GROUP_PREFIX = "room:";

    private static final int UNAUTHORIZED = 401;
    private static final int SERVICE_UNAVAILABLE = 503;
    private static final TypedKey<Credentials> CREDENTIALS = new TypedKey<>("chat.credentials");
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
            if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
                return CheckResult.rejectUpgradeSync(UNAUTHORIZED);
            }
            context.userData().put(CREDENTIALS, credentials(identity, token));
            context.userData().put(TRANSPORT, context.httpRequest().connection());
            return CheckResult.permitUpgradeSync();
        });
    }

    static Credentials credentials(WebSocketConnection connection) {
        return connection.userData().get(CREDENTIALS);
    }

    /** The TCP connection under the WebSocket; closing it ends the socket at once. */
    static HttpConnection transport(WebSocketConnection connection) {
        return connection.userData().get(TRANSPORT);
    }

    private static Credentials credentials(SecurityIdentity identity, JsonWebToken token) {
        // SmallRye looks every claim name up among the standard ones, which throws (and fills a stack trace) for
        // a custom one (8% of a handshake in bench/), so only ask when the token has the claim.
        Object rooms = token.getClaimNames().contains(ROOMS_CLAIM) ? token.getClaim(ROOMS_CLAIM) : null;
        Set<String> privateRooms = new HashSet<>(strings(rooms));
        for (String group : token.getGroups()) {
            if (group.startsWith(ROOM_GROUP_PREFIX)) {
                privateRooms.add(group.substring(ROOM_GROUP_PREFIX.length()));
            }
        }
        return new Credentials(identity.getPrincipal().getName(), Instant.ofEpochSecond(token.getExpirationTime()),
                Set.copyOf(privateRooms));
    }

    /** A claim holding a list of names, as SmallRye JWT hands it over (JSON array or Java collection). */
    private static Set<String> strings(Object claim) {
        Set<String> names = new HashSet<>();
        if (claim instanceof JsonArray array) {
            for (var value : array) {
                if (value instanceof JsonString name) {
                    names.add(name.getString());
                }
            }
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(name -> names.add(String.valueOf(name)));
        } else if (claim instanceof JsonString name) {
            names.add(name.getString());
        }
        return names;
    }
}

package dev.quarkchat.chat;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import dev.quarkchat.auth.UserNameConfig;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.UserName;
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
 * is refused all the same, and so is a token without any of the claims of {@code chat.user-name.claims}
 * (401). A name that breaks the {@link UserName} rule is refused with 422, before any frame shows it.
 */
@ApplicationScoped
public class ConnectionHandshake implements HttpUpgradeCheck {

    /** The token claim that lists the private rooms a user may join. */
    public static final String ROOMS_CLAIM = "rooms";
    /** A {@code groups} entry {@code room:<name>} grants that private room too. */
    public static final String ROOM_GROUP_PREFIX = "room:";

    private static final Logger LOG = Logger.getLogger(ConnectionHandshake.class);
    private static final int UNAUTHORIZED = 401;
    /** Not 400: Vert.x answers that to malformed upgrades, and chat_handshakes_rejected_total tells them apart. */
    private static final int INVALID_USER_NAME = 422;
    private static final int SERVICE_UNAVAILABLE = 503;
    private static final TypedKey<Credentials> CREDENTIALS = new TypedKey<>("chat.credentials");
    private static final TypedKey<HttpConnection> TRANSPORT = new TypedKey<>("chat.transport");

    private final ShutdownNotice shutdown;
    private final List<String> nameClaims;
    private final int maxNameLength;

    ConnectionHandshake(ShutdownNotice shutdown, UserNameConfig userNames) {
        this.shutdown = shutdown;
        this.nameClaims = List.copyOf(userNames.claims());
        this.maxNameLength = userNames.maxLength();
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
            Set<String> claimNames = token.getClaimNames();
            Optional<String> nameClaim = nameClaims.stream()
                    .filter(claim -> claimNames.contains(claim) && isSet(token.getClaim(claim))).findFirst();
            if (nameClaim.isEmpty()) {
                LOG.debugf("Upgrade refused: the token has none of the name claims %s", nameClaims);
                return CheckResult.rejectUpgradeSync(UNAUTHORIZED);
            }
            Optional<String> user = userName(token, nameClaim.get());
            if (user.isEmpty()) {
                return CheckResult.rejectUpgradeSync(INVALID_USER_NAME);
            }
            context.userData().put(CREDENTIALS, credentials(user.get(), token, claimNames));
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

    /** The name in the claim, in NFC; empty if it breaks the {@link UserName} rule or is not a string. */
    private Optional<String> userName(JsonWebToken token, String claim) {
        Object value = token.getClaim(claim);
        String name = value instanceof JsonString json ? json.getString() : value instanceof String text ? text : null;
        if (name == null) {
            LOG.debugf("Upgrade refused: the token's %s is not a string", claim);
            return Optional.empty();
        }
        UserName.Verdict verdict = UserName.check(name, maxNameLength);
        if (!verdict.isValid()) {
            LOG.debugf("Upgrade refused: the token's %s is not accepted as a user name, %s: %.100s", claim,
                    verdict.fault().reason(maxNameLength), LogSafe.escaped(name));
        }
        return Optional.ofNullable(verdict.name());
    }

    /** SmallRye lists {@code sub} among a token's claims even when it has none, with a null value. */
    private static boolean isSet(Object claim) {
        return claim != null && claim != JsonValue.NULL;
    }

    private static Credentials credentials(String user, JsonWebToken token, Set<String> claimNames) {
        // SmallRye looks every claim name up among the standard ones, which throws (and fills a stack trace) for
        // a custom one (8% of a handshake in bench/), so only ask when the token has the claim.
        Object rooms = claimNames.contains(ROOMS_CLAIM) ? token.getClaim(ROOMS_CLAIM) : null;
        Set<String> privateRooms = new HashSet<>(strings(rooms));
        for (String group : token.getGroups()) {
            if (group.startsWith(ROOM_GROUP_PREFIX)) {
                privateRooms.add(group.substring(ROOM_GROUP_PREFIX.length()));
            }
        }
        return new Credentials(user, Instant.ofEpochSecond(token.getExpirationTime()), Set.copyOf(privateRooms));
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

package dev.quarkchat.auth;

import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.protocol.UserName;
import dev.quarkchat.session.Credentials;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a verified token into the {@link Credentials} of a chat user: the handshake and an in-band
 * refresh read a token by the same rules, here. The user name is the first claim of {@code
 * chat.user-name.claims} the token carries, checked by the {@link UserName} rule; the private rooms
 * come from the {@code rooms} claim and {@code room:<name>} groups.
 */
@ApplicationScoped
public class TokenClaims {

    /** The token claim that lists the private rooms a user may join. */
    public static final String ROOMS_CLAIM = "rooms";

    /** A {@code groups} entry {@code room:<name>} grants that private room too. */
    public static final String ROOM_GROUP_PREFIX = "room:";

    /**
     * The {@code groups} entry of moderators and services: a connection with it may delete any
     * message, and a token with it may call the server API.
     */
    public static final String ADMIN_GROUP = "chat-admin";

    private static final Logger LOG = Logger.getLogger(TokenClaims.class);

    private final List<String> nameClaims;
    private final int maxNameLength;

    TokenClaims(UserNameConfig userNames) {
        this.nameClaims = List.copyOf(userNames.claims());
        this.maxNameLength = userNames.maxLength();
    }

    /**
     * What a token, already verified, says about its user.
     *
     * @throws UnacceptableTokenException if it names no user, or one the chat does not accept
     */
    Credentials read(JsonWebToken token) throws UnacceptableTokenException {
        Set<String> claimNames = token.getClaimNames();
        for (String claim : nameClaims) {
            Object value = claimNames.contains(claim) ? token.getClaim(claim) : null;
            if (isSet(value)) {
                String user =
                        userName(claim, value)
                                .orElseThrow(
                                        () -> new UnacceptableTokenException(Fault.INVALID_NAME));
                return credentials(user, token, claimNames);
            }
        }
        LOG.debugf("Token refused: it has none of the name claims %s", nameClaims);
        throw new UnacceptableTokenException(Fault.NO_NAME_CLAIM);
    }

    /**
     * The user name a verified token carries, read as the handshake reads it; empty if it names
     * none the chat accepts.
     */
    public Optional<String> userName(JsonWebToken token) {
        try {
            return Optional.of(read(token).user());
        } catch (UnacceptableTokenException unacceptable) {
            return Optional.empty();
        }
    }

    /**
     * The name a claim holds, in NFC; empty if it breaks the {@link UserName} rule or is not a
     * string.
     */
    private Optional<String> userName(String claim, Object value) {
        String name =
                value instanceof JsonString json
                        ? json.getString()
                        : value instanceof String text ? text : null;
        if (name == null) {
            LOG.debugf("Token refused: its %s is not a string", claim);
            return Optional.empty();
        }
        UserName.Verdict verdict = UserName.check(name, maxNameLength);
        if (!verdict.isValid()) {
            LOG.debugf(
                    "Token refused: its %s is not accepted as a user name, %s: %.100s",
                    claim, verdict.fault().reason(maxNameLength), LogSafe.escaped(name));
        }
        return Optional.ofNullable(verdict.name());
    }

    /**
     * SmallRye lists {@code sub} among a token's claims even when it has none, with a null value.
     */
    private static boolean isSet(Object claim) {
        return claim != null && claim != JsonValue.NULL;
    }

    private static Credentials credentials(
            String user, JsonWebToken token, Set<String> claimNames) {
        // SmallRye looks every claim name up among the standard ones, which throws (and fills a
        // stack trace) for
        // a custom one, on every handshake (see bench/README.md). So only ask when the token has
        // it.
        Object rooms = claimNames.contains(ROOMS_CLAIM) ? token.getClaim(ROOMS_CLAIM) : null;
        Set<String> privateRooms = new HashSet<>(strings(rooms));
        for (String group : token.getGroups()) {
            if (group.startsWith(ROOM_GROUP_PREFIX)) {
                privateRooms.add(group.substring(ROOM_GROUP_PREFIX.length()));
            }
        }
        return new Credentials(
                user,
                Instant.ofEpochSecond(token.getExpirationTime()),
                Set.copyOf(privateRooms),
                token.getGroups().contains(ADMIN_GROUP));
    }

    /**
     * A claim holding a list of names, as SmallRye JWT hands it over (JSON array or Java
     * collection).
     */
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

    /** Why a verified token names no chat user. */
    enum Fault {
        /** None of the claims of {@code chat.user-name.claims} is set. */
        NO_NAME_CLAIM,
        /** The name claim is not a string, or breaks the {@link UserName} rule. */
        INVALID_NAME
    }

    /** A genuine token that names no user the chat accepts. */
    static final class UnacceptableTokenException extends Exception {

        private static final long serialVersionUID = 1L;
        private final Fault fault;

        UnacceptableTokenException(Fault fault) {
            // No stack trace: an expected outcome of a token, logged at debug level where it is
            // found.
            super(fault.name(), null, false, false);
            this.fault = fault;
        }

        Fault fault() {
            return fault;
        }
    }
}

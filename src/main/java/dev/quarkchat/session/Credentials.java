package dev.quarkchat.session;

import java.time.Instant;
import java.util.Set;

/**
 * What a connection's token says, read at the handshake and again at each accepted {@code refresh}:
 * who the user is, until when the token is valid, and which private rooms it grants.
 *
 * @param user the first claim of {@code chat.user-name.claims} the token carries, checked and in
 *     NFC
 * @param tokenExpiry the token's {@code exp}: the connection is closed then
 * @param privateRooms the names in the {@code rooms} claim, and in {@code groups} entries {@code
 *     room:<name>}
 * @param admin whether {@code groups} holds the admin group: the connection may delete any message
 */
public record Credentials(
        String user, Instant tokenExpiry, Set<String> privateRooms, boolean admin) {}

package dev.quarkchat.auth;

import dev.quarkchat.config.ChatConfig;
import dev.quarkchat.session.Credentials;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Who may join which room. Public rooms are open to every signed-in user; a private room (its name
 * matches {@code chat.private-room-pattern}, by default {@code private-...}) only to tokens that
 * grant it, in the {@code rooms} claim or as a {@code room:<name>} group. Checked at startup, so a
 * bad pattern stops it.
 */
@Startup
@ApplicationScoped
public class RoomAccess {

    private final Pattern privateRooms;

    RoomAccess(ChatConfig config) {
        try {
            this.privateRooms = Pattern.compile(config.privateRoomPattern());
        } catch (PatternSyntaxException invalid) {
            throw new ConfigurationException(
                    "chat.private-room-pattern is not a valid regular expression: "
                            + invalid.getDescription());
        }
    }

    public boolean mayJoin(Credentials credentials, String room) {
        return !privateRooms.matcher(room).matches() || credentials.privateRooms().contains(room);
    }
}

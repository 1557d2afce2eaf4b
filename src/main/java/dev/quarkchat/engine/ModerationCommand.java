package dev.quarkchat.engine;

import java.util.Optional;

/**
 * What a moderator asked for, to be carried out on every instance that holds connections of the
 * user.
 */
public sealed interface ModerationCommand {

    /** Closes every connection of the user. */
    record Disconnect(String user) implements ModerationCommand {}

    /** Takes every connection of the user out of the room. */
    record Kick(String user, String room) implements ModerationCommand {}

    /**
     * A ban was placed: every instance takes it into its copy of the bans, and closes the user's
     * connections (global) or takes them out of the room.
     */
    record Banned(Ban ban) implements ModerationCommand {}

    /**
     * The user's ban of {@code room} was lifted, or every ban of the user with an empty room: every
     * instance drops them from its copy.
     */
    record Lifted(String user, Optional<String> room) implements ModerationCommand {}
}

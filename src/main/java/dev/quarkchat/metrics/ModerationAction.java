package dev.quarkchat.metrics;

/** What a moderator did: the {@code action} label of {@code chat_moderation_actions_total}. */
public enum ModerationAction {

    /** Closed every connection of a user. */
    DISCONNECT("disconnect"),
    /** Took a user out of a room. */
    KICK("kick"),
    /** Banned a user, from the chat or from one room. */
    BAN("ban"),
    /** Lifted bans. */
    LIFT("lift"),
    /** Deleted a message of anyone's. */
    DELETE("delete");

    private final String label;

    ModerationAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

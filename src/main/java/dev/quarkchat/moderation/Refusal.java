package dev.quarkchat.moderation;

/** Why a moderation request was refused; each has a stable name, for an API's error type. */
public enum Refusal {

    /** The user name breaks the rule names from tokens follow, so no connection can have it. */
    INVALID_USER("invalid_user"),
    /** The room name is not one a room can have. */
    INVALID_ROOM("invalid_room"),
    /**
     * The reason is missing where required, blank, longer than {@link Moderation#MAX_REASON_LENGTH}
     * code points, or holds control characters or half a surrogate pair.
     */
    INVALID_REASON("invalid_reason"),
    /** The end of a ban is not in the future, or past {@link Moderation#LATEST_UNTIL}. */
    INVALID_UNTIL("invalid_until"),
    /** The caller's name is not a user name. */
    INVALID_CALLER("invalid_caller"),
    /** There is no ban to lift. */
    NOT_BANNED("not_banned"),
    /** A message's seq is not a positive number. */
    INVALID_SEQ("invalid_seq"),
    /** The room's history holds no message at that seq. */
    UNKNOWN_MESSAGE("unknown_message");

    private final String wireName;

    Refusal(String wireName) {
        this.wireName = wireName;
    }

    /** The stable name of the refusal. */
    public String wireName() {
        return wireName;
    }
}

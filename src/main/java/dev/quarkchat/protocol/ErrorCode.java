package dev.quarkchat.protocol;

/**
 * The typed reasons a client frame is refused. Each one is answered with an {@code error} frame and
 * the connection stays open; see {@code docs/protocol.md}.
 */
public enum ErrorCode {

    /** The frame is not one well-formed JSON object. */
    INVALID_JSON("invalid_json"),
    /** {@code type} is missing, not a string, or not a frame type the server knows. */
    UNKNOWN_TYPE("unknown_type"),
    /** {@code room} is missing, not a string, or not a valid room name. */
    INVALID_ROOM("invalid_room"),
    /** {@code text} is missing, not a string, blank, or too long. */
    INVALID_TEXT("invalid_text"),
    /** {@code since} is not a non-negative integer, or {@code epoch} is not a short string. */
    INVALID_SINCE("invalid_since"),
    /** {@code before} of a {@code history} frame is not a positive integer. */
    INVALID_BEFORE("invalid_before"),
    /**
     * {@code limit} of a {@code history} frame is not an integer from 1 to {@code
     * chat.history.page-max}.
     */
    INVALID_LIMIT("invalid_limit"),
    /** {@code seq} of an {@code edit} or {@code delete} frame is not a positive integer. */
    INVALID_SEQ("invalid_seq"),
    /**
     * {@code user} of a {@code dm} frame is not a name a user could have, or is the sender's own.
     */
    INVALID_USER("invalid_user"),
    /** {@code emoji} of a {@code react} frame is not one emoji, or {@code on} not a boolean. */
    INVALID_REACTION("invalid_reaction"),
    /** {@code id} is not a string or is too long. */
    INVALID_ID("invalid_id"),
    /** The room is private and the connection's token does not grant it. */
    FORBIDDEN("forbidden"),
    /** The connection is already in {@code chat.max-rooms-per-connection} rooms. */
    TOO_MANY_ROOMS("too_many_rooms"),
    /**
     * The connection sends faster than {@code chat.rate-limit.messages-per-second}: the frame was
     * dropped.
     */
    RATE_LIMITED("rate_limited"),
    /**
     * A reaction past the bounds: a message carries at most 20 emoji, 100 users under one, and 10
     * of one user's.
     */
    TOO_MANY_REACTIONS("too_many_reactions"),
    /** The connection sent to, left, or asked for the history of a room it has not joined. */
    NOT_JOINED("not_joined"),
    /**
     * The {@code id} of a {@code send} was already used, by the same user in the same room within
     * {@code chat.idempotency.window}, for another text: nothing was posted.
     */
    ID_REUSED("id_reused"),
    /**
     * The room's history holds no message with the {@code seq} of an {@code edit} or {@code
     * delete}: it was never posted, is no longer held, or that position is an edit or deletion.
     */
    UNKNOWN_MESSAGE("unknown_message"),
    /** The message of an {@code edit} or {@code delete} was posted by another user. */
    NOT_YOURS("not_yours"),
    /**
     * The message is older than {@code chat.edit-window}: it can no longer be edited or deleted.
     */
    EDIT_WINDOW_CLOSED("edit_window_closed"),
    /** The message of an {@code edit} or {@code delete} has been deleted. */
    MESSAGE_DELETED("message_deleted"),
    /**
     * The token of a {@code refresh} is missing, too long, not genuine (signature, issuer, expiry,
     * lifetime), names no acceptable user, or another user than the connection's: nothing changed,
     * the old token's {@code exp} holds.
     */
    INVALID_TOKEN("invalid_token"),
    /** A moderator banned the user from the room of the {@code join}: nothing changed. */
    BANNED("banned"),
    /**
     * The backplane (Redis) that shares rooms between instances cannot be reached: the {@code
     * send}, {@code join} or {@code history} was not carried out. The connection stays open; try
     * again shortly.
     */
    UNAVAILABLE("unavailable"),
    /** The server failed to handle a valid frame; the details stay in the server log. */
    INTERNAL_ERROR("internal_error");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The value of the {@code code} field in an {@code error} frame. */
    public String wireName() {
        return wireName;
    }
}

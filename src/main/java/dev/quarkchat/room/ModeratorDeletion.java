package dev.quarkchat.room;

/** What became of a deletion by a moderator ({@link RoomRegistry#deleteAsModerator}). */
public enum ModeratorDeletion {
    /** The message is deleted now: every member got {@code deleted}. */
    DELETED,
    /** The room's history holds no message at that seq. */
    UNKNOWN,
    /** The message had been deleted already; nothing changed. */
    ALREADY_DELETED,
    /** The backplane or the store could not be reached: nothing changed, try again. */
    UNAVAILABLE
}

package dev.quarkchat.engine;

/**
 * What a reader has not read in a room: messages of others after its read position, and how many of
 * those mention it.
 */
public record Unread(long messages, long mentions) {

    public static final Unread NONE = new Unread(0, 0);
}

package dev.quarkchat.engine;

/**
 * What a broker tells a room's subscriber, in the order the room's engine ordered it: messages with
 * their {@code seq}, users coming and going, users typing, and users' read positions moving.
 */
public sealed interface RoomEvent {

    /**
     * The connection id of a {@link Joined} event that no connection caused (presence put back by a
     * refresh).
     */
    String NO_CONNECTION = "-";

    /** The room the event is about. */
    String room();

    /**
     * A message got its {@code seq} in the room's current {@code epoch}; {@code frame} is what
     * members get.
     */
    record Message(String room, String epoch, long seq, String frame) implements RoomEvent {}

    /**
     * A user is in the room. Announced by every join, at the instant its member list was taken, so
     * that the joining connection can tell which presence events came after it; {@link
     * #NO_CONNECTION} when a presence refresh put back an entry that had been lost.
     */
    record Joined(String room, String connectionId, String user) implements RoomEvent {}

    /** The user's last connection anywhere left the room, or its instance stopped refreshing it. */
    record Left(String room, String user) implements RoomEvent {}

    /** The user is typing in the room: for the other members only, never stored. */
    record Typing(String room, String user) implements RoomEvent {}

    /**
     * The user's read position in the room moved forward to {@code seq} of the room's current
     * epoch, by the connection {@code connectionId}: for the user's other connections, kept by
     * {@link ReadPositions}.
     */
    record Read(String room, String connectionId, String user, long seq) implements RoomEvent {}
}

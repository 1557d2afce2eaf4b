package dev.quarkchat.engine;

/**
 * The engine holds nothing of the room: on a single instance without a store, a room lives only
 * while it has members.
 */
public final class UnknownRoomException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownRoomException(String room) {
        // Expected for a room nobody is in: no stack trace.
        super("room " + room + " has no members on this instance", null, false, false);
    }
}

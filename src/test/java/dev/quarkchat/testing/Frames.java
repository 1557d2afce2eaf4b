package dev.quarkchat.testing;

import io.vertx.core.json.JsonObject;

import java.util.function.Predicate;

/** Frames a test waits for ({@link ChatClient#awaitFrame}), by what makes them the one. */
public final class Frames {

    private Frames() {}

    /** {@code left} of the room, with the reason the server gives. */
    public static Predicate<JsonObject> left(String room, String reason) {
        return frame ->
                "left".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && reason.equals(frame.getString("reason"));
    }

    /** A {@code presence} event of the user in the room: {@code join} or {@code leave}. */
    public static Predicate<JsonObject> presence(String room, String user, String event) {
        return frame ->
                "presence".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && user.equals(frame.getString("user"))
                        && event.equals(frame.getString("event"));
    }

    /** {@code typing} of the user in the room. */
    public static Predicate<JsonObject> typing(String room, String user) {
        return frame ->
                "typing".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && user.equals(frame.getString("user"));
    }

    /** {@code read}: the user's read position in the room moved to {@code seq}. */
    public static Predicate<JsonObject> read(String room, long seq) {
        return frame ->
                "read".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && frame.getLong("seq") == seq;
    }

    /** {@code deleted} of message {@code seq} of the room. */
    public static Predicate<JsonObject> deleted(String room, long seq) {
        return frame ->
                "deleted".equals(frame.getString("type"))
                        && room.equals(frame.getString("room"))
                        && frame.getLong("seq") == seq;
    }
}

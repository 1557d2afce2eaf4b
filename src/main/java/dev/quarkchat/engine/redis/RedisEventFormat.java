package dev.quarkchat.engine.redis;

import dev.quarkchat.engine.RoomEvent;

import java.util.Optional;

/**
 * How the scripts publish {@link RoomEvent}s on their room's channel: space-separated text whose
 * last field runs to the end (user names and frames may contain spaces, room names cannot).
 *
 * <ul>
 *   <li>{@code M <room> <epoch> <seq> <frame>}: a {@link RoomEvent.Message}
 *   <li>{@code J <room> <connection> <user>}: a {@link RoomEvent.Joined}
 *   <li>{@code L <room> <user>}: a {@link RoomEvent.Left}
 *   <li>{@code T <room> <user>}: a {@link RoomEvent.Typing}
 *   <li>{@code R <room> <seq> <connection> <user>}: a {@link RoomEvent.Read}
 * </ul>
 */
final class RedisEventFormat {

    private RedisEventFormat() {}

    /** Writes a message event, as {@code append.lua} does. */
    static String message(RoomEvent.Message message) {
        return "M "
                + message.room()
                + " "
                + message.epoch()
                + " "
                + message.seq()
                + " "
                + message.frame();
    }

    /** Writes a typing event, for {@code typing.lua} to publish. */
    static String typing(RoomEvent.Typing typing) {
        return "T " + typing.room() + " " + typing.user();
    }

    /** Writes a read event, for {@code publish.lua} to publish. */
    static String read(RoomEvent.Read read) {
        return "R "
                + read.room()
                + " "
                + read.seq()
                + " "
                + read.connectionId()
                + " "
                + read.user();
    }

    /** Reads one event; empty for anything this version does not understand. */
    static Optional<RoomEvent> parse(String payload) {
        String[] fields = payload.split(" ", 5);
        try {
            return switch (fields[0]) {
                case "M" ->
                        fields.length == 5
                                ? Optional.of(
                                        new RoomEvent.Message(
                                                fields[1],
                                                fields[2],
                                                Long.parseLong(fields[3]),
                                                fields[4]))
                                : Optional.empty();
                case "J" ->
                        fields.length >= 4
                                ? Optional.of(
                                        new RoomEvent.Joined(
                                                fields[1], fields[2], rest(payload, 3)))
                                : Optional.empty();
                case "L" ->
                        fields.length >= 3
                                ? Optional.of(new RoomEvent.Left(fields[1], rest(payload, 2)))
                                : Optional.empty();
                case "T" ->
                        fields.length >= 3
                                ? Optional.of(new RoomEvent.Typing(fields[1], rest(payload, 2)))
                                : Optional.empty();
                case "R" ->
                        fields.length >= 5
                                ? Optional.of(
                                        new RoomEvent.Read(
                                                fields[1],
                                                fields[3],
                                                rest(payload, 4),
                                                Long.parseLong(fields[2])))
                                : Optional.empty();
                default -> Optional.empty();
            };
        } catch (NumberFormatException badSeq) {
            return Optional.empty();
        }
    }

    /** The text after the first {@code skipped} space-separated fields. */
    private static String rest(String payload, int skipped) {
        int at = -1;
        for (int field = 0; field < skipped; field++) {
            at = payload.indexOf(' ', at + 1);
        }
        return payload.substring(at + 1);
    }
}

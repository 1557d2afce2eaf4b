package dev.quarkchat.backplane;

import java.util.Optional;

/**
 * What the instances tell each other on the event channel, in the order Redis ran the scripts that
 * published it. Encoded as space-separated text; the last field runs to the end (user names and frames may
 * contain spaces, room names cannot).
 */
public sealed interface BackplaneEvent {

    /** The room the event is about. */
    String room();

    /** A message got its {@code seq}: {@code M <room> <epoch> <seq> <frame>}. */
    record Message(String room, String epoch, long seq, String frame) implements BackplaneEvent {
    }

    /**
     * A user is in the room: {@code J <room> <connection> <user>}. Published by every join, so that the
     * joining connection's instance can tell which events came after its snapshot; the connection is
     * {@code -} when a presence refresh put back an entry that had been lost.
     */
    record Joined(String room, String connectionId, String user) implements BackplaneEvent {
    }

    /** The user's last connection anywhere left the room, or its instance stopped refreshing it: {@code L <room> <user>}. */
    record Left(String room, String user) implements BackplaneEvent {
    }

    /** The connection id a presence refresh puts in {@link Joined} events. */
    String NO_CONNECTION = "-";

    /** Reads one event; empty for anything this version does not understand. */
    static Optional<BackplaneEvent> parse(String payload) {
        String[] fields = payload.split(" ", 5);
        try {
            switch (fields[0]) {
                case "M":
                    if (fields.length == 5) {
                        return Optional.of(new Message(fields[1], fields[2], Long.parseLong(fields[3]), fields[4]));
                    }
                    break;
                case "J":
                    if (fields.length >= 4) {
                        return Optional.of(new Joined(fields[1], fields[2], rest(payload, 3)));
                    }
                    break;
                case "L":
                    if (fields.length >= 3) {
                        return Optional.of(new Left(fields[1], rest(payload, 2)));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException badSeq) {
            return Optional.empty();
        }
        return Optional.empty();
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

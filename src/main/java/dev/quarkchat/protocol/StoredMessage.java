package dev.quarkchat.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A {@code message} frame as the history keeps it, read back so that an edit or a deletion can be
 * checked against it and written over it.
 *
 * @param text empty once deleted
 * @param service posted by a backend through the server API
 * @param editedAt when its text was last replaced, if it was
 */
public record StoredMessage(
        String room,
        long seq,
        String from,
        Optional<String> text,
        Instant ts,
        Optional<String> id,
        boolean service,
        Optional<Instant> editedAt,
        boolean deleted) {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Whether a stored frame is a message the reader has something to read in: not deleted, and not
     * its own.
     */
    public static boolean unreadBy(String frame, String reader) {
        return read(frame)
                .filter(message -> !message.deleted() && !message.from().equals(reader))
                .isPresent();
    }

    /**
     * Reads a stored frame; empty for anything but a {@code message} frame (an {@code edited} or
     * {@code deleted} frame holds a position of the room too).
     */
    public static Optional<StoredMessage> read(String frame) {
        String type = null;
        String room = null;
        long seq = 0;
        String from = null;
        String text = null;
        Instant ts = null;
        String id = null;
        boolean service = false;
        Instant editedAt = null;
        boolean deleted = false;
        try (JsonParser parser = JSON.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (String name = parser.nextFieldName();
                    name != null;
                    name = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "type" -> type = parser.getText();
                    case "room" -> room = parser.getText();
                    case "seq" -> seq = parser.getLongValue();
                    case "from" -> from = parser.getText();
                    case "text" -> text = parser.getText();
                    case "ts" -> ts = Instant.parse(parser.getText());
                    case "id" -> id = parser.getText();
                    case "service" -> service = value == JsonToken.VALUE_TRUE;
                    case "editedAt" -> editedAt = Instant.parse(parser.getText());
                    case "deleted" -> deleted = value == JsonToken.VALUE_TRUE;
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException | DateTimeParseException unreadable) {
            return Optional.empty();
        }
        if (!"message".equals(type) || room == null || from == null || ts == null) {
            return Optional.empty();
        }
        return Optional.of(
                new StoredMessage(
                        room,
                        seq,
                        from,
                        Optional.ofNullable(text),
                        ts,
                        Optional.ofNullable(id),
                        service,
                        Optional.ofNullable(editedAt),
                        deleted));
    }

    /** This message with {@code newText}, edited at {@code now}, as the history keeps it. */
    public String editedFrame(String newText, Instant now) {
        return ServerFrames.editedMessage(room, seq, from, newText, ts, id, service, now);
    }

    /** The tombstone the history keeps of this message once deleted. */
    public String deletedFrame() {
        return ServerFrames.deletedMessage(room, seq, from, ts);
    }
}

package dev.quarkchat.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code message} frame as the history keeps it, read back so that an edit or a deletion can be
 * checked against it and written over it.
 *
 * @param text empty once deleted
 * @param service posted by a backend through the server API
 * @param editedAt when its text was last replaced, if it was
 * @param reactions each emoji to the users who reacted with it, in the order they came
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
        boolean deleted,
        Map<String, List<String>> reactions) {

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

    /** Whether a stored frame is a message the reader has to read that mentions it. */
    public static boolean mentionsUnread(String frame, String reader) {
        return read(frame)
                .filter(message -> !message.deleted() && !message.from().equals(reader))
                .flatMap(StoredMessage::text)
                .filter(text -> Mentions.mentions(text, reader))
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
        Map<String, List<String>> reactions = new LinkedHashMap<>();
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
                    case "reactions" -> readReactions(parser, reactions);
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
                        deleted,
                        Collections.unmodifiableMap(reactions)));
    }

    /**
     * The reactions a store kept apart from the frame, as {@link #reactionsJson} wrote them; none
     * for null or anything unreadable.
     */
    public static Map<String, List<String>> reactionsOf(String json) {
        Map<String, List<String>> reactions = new LinkedHashMap<>();
        if (json != null) {
            try (JsonParser parser = JSON.createParser(json)) {
                parser.nextToken();
                readReactions(parser, reactions);
            } catch (IOException unreadable) {
                return Map.of();
            }
        }
        return Collections.unmodifiableMap(reactions);
    }

    /** The reactions as JSON, for a store that keeps them apart from the frame; empty if none. */
    public Optional<String> reactionsJson() {
        return reactions.isEmpty()
                ? Optional.empty()
                : Optional.of(ServerFrames.reactions(reactions));
    }

    /** {@code {"👍":["ann","bob"]}}, as {@link ServerFrames#storedMessage} writes it. */
    private static void readReactions(JsonParser parser, Map<String, List<String>> reactions)
            throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return;
        }
        for (String emoji = parser.nextFieldName(); emoji != null; emoji = parser.nextFieldName()) {
            List<String> users = new ArrayList<>();
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.VALUE_STRING) {
                    users.add(parser.getText());
                }
            } else {
                parser.skipChildren();
            }
            reactions.put(emoji, List.copyOf(users));
        }
    }

    /** This message with {@code newText}, edited at {@code now}, as the history keeps it. */
    public String editedFrame(String newText, Instant now) {
        return ServerFrames.storedMessage(
                room, seq, from, newText, ts, id, service, Optional.of(now), reactions);
    }

    /** This message with the user's reaction added ({@code on}) or taken back. */
    public String reactedFrame(String emoji, String user, boolean on) {
        Map<String, List<String>> changed = new LinkedHashMap<>(reactions);
        List<String> users = new ArrayList<>(changed.getOrDefault(emoji, List.of()));
        if (on) {
            users.add(user);
        } else {
            users.remove(user);
        }
        if (users.isEmpty()) {
            changed.remove(emoji);
        } else {
            changed.put(emoji, users);
        }
        return ServerFrames.storedMessage(
                room, seq, from, text.orElseThrow(), ts, id, service, editedAt, changed);
    }

    /** The tombstone the history keeps of this message once deleted. */
    public String deletedFrame() {
        return ServerFrames.deletedMessage(room, seq, from, ts);
    }
}

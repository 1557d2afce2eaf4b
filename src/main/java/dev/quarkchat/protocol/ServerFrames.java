package dev.quarkchat.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Encodes every frame the server sends, as compact JSON text. Each broadcast is encoded once and
 * the same string is written to every member. Field names and meaning are listed in {@code
 * docs/protocol.md}.
 */
public final class ServerFrames {

    /**
     * Millisecond UTC timestamps, always with three fraction digits: {@code
     * 2026-11-25T10:00:00.123Z}.
     */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * A typing indicator outlives this many intervals, so that one event lost to the throttle's
     * timing does not make it blink.
     */
    private static final int TYPING_SHOWN_INTERVALS = 3;

    private ServerFrames() {}

    /**
     * The first frame of every connection: who the server knows the client as, the longest text it
     * accepts, so that a client can check before sending, how long (seconds) its messages can be
     * edited or deleted, so that it offers that only while it can, and the pace of typing events
     * (seconds): how often the others hear of a user typing, and how long a client shows it.
     */
    public static String welcome(
            String user, int maxTextLength, long editWindowSeconds, Duration typingInterval) {
        return write(
                json -> {
                    json.writeStringField("type", "welcome");
                    json.writeStringField("user", user);
                    json.writeNumberField("maxTextLength", maxTextLength);
                    json.writeNumberField("editWindow", editWindowSeconds);
                    json.writeFieldName("typingInterval");
                    json.writeNumber(seconds(typingInterval));
                    json.writeFieldName("typingTimeout");
                    json.writeNumber(seconds(typingInterval.multipliedBy(TYPING_SHOWN_INTERVALS)));
                });
    }

    /**
     * {@code "alice is typing"}: for the other members of the room, shown until {@code
     * typingTimeout} passes without another, or the user's next message or leave.
     */
    public static String typing(String room, String user) {
        return write(
                json -> {
                    json.writeStringField("type", "typing");
                    json.writeStringField("room", room);
                    json.writeStringField("user", user);
                });
    }

    /**
     * The answer to a join: how many users are in the room and the first of their names, where the
     * room's sequence stands ({@code epoch}, {@code seq} of the latest message), and whether the
     * messages the client missed follow ({@code recovered}).
     */
    public static String joined(
            String room,
            Collection<String> members,
            int memberCount,
            String epoch,
            long seq,
            boolean recovered,
            Optional<String> id) {
        return joined(room, members, memberCount, epoch, seq, recovered, Optional.empty(), id);
    }

    /**
     * A {@code joined} that also says where the user stopped reading the room ({@code readSeq}) and
     * how many messages of others after it are still there to read ({@code unread}).
     */
    public static String joined(
            String room,
            Collection<String> members,
            int memberCount,
            String epoch,
            long seq,
            boolean recovered,
            Optional<Reading> reading,
            Optional<String> id) {
        return write(
                json -> {
                    json.writeStringField("type", "joined");
                    json.writeStringField("room", room);
                    json.writeArrayFieldStart("members");
                    for (String member : members) {
                        json.writeString(member);
                    }
                    json.writeEndArray();
                    json.writeNumberField("memberCount", memberCount);
                    json.writeStringField("epoch", epoch);
                    json.writeNumberField("seq", seq);
                    json.writeBooleanField("recovered", recovered);
                    if (reading.isPresent()) {
                        json.writeNumberField("readSeq", reading.get().readSeq());
                        json.writeNumberField("unread", reading.get().unread());
                        json.writeNumberField("mentions", reading.get().mentions());
                    }
                    writeOptional(json, "id", id);
                });
    }

    /**
     * Where a user stands in a room: it has read up to {@code readSeq}, {@code unread} messages of
     * others came after, and {@code mentions} of those mention it.
     */
    public record Reading(long readSeq, long unread, long mentions) {}

    /**
     * The user's read position in the room moved forward to {@code seq}, by one of its connections:
     * for each of them.
     */
    public static String read(String room, long seq) {
        return write(
                json -> {
                    json.writeStringField("type", "read");
                    json.writeStringField("room", room);
                    json.writeNumberField("seq", seq);
                });
    }

    /**
     * A room in a user's list: where its sequence stands ({@code seq}), where the user stopped
     * reading it and how many messages of others came after, and its latest message.
     *
     * @param dm the other user, for a direct conversation
     * @param last the latest message's frame, as stored
     */
    public record ListedRoom(
            String room,
            Optional<String> dm,
            long seq,
            long readSeq,
            long unread,
            long mentions,
            Optional<String> last) {}

    /** The user's room list: on connect, and as the answer to {@code rooms}. */
    public static String rooms(List<ListedRoom> rooms, Optional<String> id) {
        return write(
                json -> {
                    json.writeStringField("type", "rooms");
                    json.writeArrayFieldStart("rooms");
                    for (ListedRoom room : rooms) {
                        json.writeStartObject();
                        writeListed(json, room);
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    writeOptional(json, "id", id);
                });
    }

    /** A room that came into the user's list without its asking: someone opened a conversation. */
    public static String room(ListedRoom room) {
        return write(
                json -> {
                    json.writeStringField("type", "room");
                    writeListed(json, room);
                });
    }

    private static void writeListed(JsonGenerator json, ListedRoom room) throws IOException {
        json.writeStringField("room", room.room());
        writeOptional(json, "dm", room.dm());
        json.writeNumberField("seq", room.seq());
        json.writeNumberField("readSeq", room.readSeq());
        json.writeNumberField("unread", room.unread());
        json.writeNumberField("mentions", room.mentions());
        if (room.last().isPresent()) {
            // A frame this server wrote and stored: already JSON.
            json.writeFieldName("last");
            json.writeRawValue(room.last().get());
        }
    }

    /**
     * {@code from} mentioned the user in message {@code seq} of a room: for every connection of the
     * user, in that room or not.
     */
    public static String mention(String room, long seq, String from, String text) {
        return write(
                json -> {
                    json.writeStringField("type", "mention");
                    json.writeStringField("room", room);
                    json.writeNumberField("seq", seq);
                    json.writeStringField("from", from);
                    json.writeStringField("text", text);
                });
    }

    public static String left(String room, Optional<String> id) {
        return write(
                json -> {
                    json.writeStringField("type", "left");
                    json.writeStringField("room", room);
                    writeOptional(json, "id", id);
                });
    }

    /**
     * A {@code left} the connection did not ask for: the server took it out of the room, for {@code
     * reason}.
     */
    public static String removed(String room, LeaveReason reason) {
        return write(
                json -> {
                    json.writeStringField("type", "left");
                    json.writeStringField("room", room);
                    json.writeStringField("reason", reason.wireName());
                });
    }

    /**
     * The answer to an accepted {@code refresh}: the connection now lives until {@code exp} (epoch
     * seconds).
     */
    public static String refreshed(Instant exp, Optional<String> id) {
        return write(
                json -> {
                    json.writeStringField("type", "refreshed");
                    json.writeNumberField("exp", exp.getEpochSecond());
                    writeOptional(json, "id", id);
                });
    }

    /** The connection's token expires in {@code secondsLeft}: time to send a {@code refresh}. */
    public static String expiring(long secondsLeft) {
        return write(
                json -> {
                    json.writeStringField("type", "expiring");
                    json.writeNumberField("in", secondsLeft);
                });
    }

    public static String presence(String room, String user, PresenceEvent event) {
        return write(
                json -> {
                    json.writeStringField("type", "presence");
                    json.writeStringField("room", room);
                    json.writeStringField("user", user);
                    json.writeStringField("event", event.wireName());
                });
    }

    public static String message(
            String room, long seq, String from, String text, Instant ts, Optional<String> id) {
        return message(room, seq, from, text, ts, id, false, Optional.empty());
    }

    /**
     * A {@code message} frame; one a backend posted through the server API carries {@code
     * "service":true}, so that clients can set it apart.
     */
    public static String message(
            String room,
            long seq,
            String from,
            String text,
            Instant ts,
            Optional<String> id,
            boolean service) {
        return message(room, seq, from, text, ts, id, service, Optional.empty());
    }

    /**
     * A message as the history keeps it once edited: its latest text, and when that text was set.
     */
    public static String editedMessage(
            String room,
            long seq,
            String from,
            String text,
            Instant ts,
            Optional<String> id,
            boolean service,
            Instant editedAt) {
        return message(room, seq, from, text, ts, id, service, Optional.of(editedAt));
    }

    private static String message(
            String room,
            long seq,
            String from,
            String text,
            Instant ts,
            Optional<String> id,
            boolean service,
            Optional<Instant> editedAt) {
        return storedMessage(room, seq, from, text, ts, id, service, editedAt, Map.of());
    }

    /**
     * A message as the history keeps it: its latest text, when that was set if it was edited, and
     * its reactions (emoji to the users who reacted with it, in the order they came).
     */
    public static String storedMessage(
            String room,
            long seq,
            String from,
            String text,
            Instant ts,
            Optional<String> id,
            boolean service,
            Optional<Instant> editedAt,
            Map<String, List<String>> reactions) {
        return write(
                json -> {
                    json.writeStringField("type", "message");
                    json.writeStringField("room", room);
                    json.writeNumberField("seq", seq);
                    json.writeStringField("from", from);
                    json.writeStringField("text", text);
                    json.writeStringField("ts", TIMESTAMP.format(ts));
                    writeOptional(json, "id", id);
                    if (service) {
                        json.writeBooleanField("service", true);
                    }
                    if (editedAt.isPresent()) {
                        json.writeStringField("editedAt", TIMESTAMP.format(editedAt.get()));
                    }
                    if (!reactions.isEmpty()) {
                        json.writeFieldName("reactions");
                        writeReactions(json, reactions);
                    }
                });
    }

    /** Reactions alone, as a message's {@code reactions} field holds them. */
    public static String reactions(Map<String, List<String>> reactions) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            writeReactions(json, reactions);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }

    private static void writeReactions(JsonGenerator json, Map<String, List<String>> reactions)
            throws IOException {
        json.writeStartObject();
        for (Map.Entry<String, List<String>> reaction : reactions.entrySet()) {
            json.writeArrayFieldStart(reaction.getKey());
            for (String user : reaction.getValue()) {
                json.writeString(user);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** What the history keeps of a deleted message: where it was, and no text. */
    public static String deletedMessage(String room, long seq, String from, Instant ts) {
        return write(
                json -> {
                    json.writeStringField("type", "message");
                    json.writeStringField("room", room);
                    json.writeNumberField("seq", seq);
                    json.writeStringField("from", from);
                    json.writeStringField("ts", TIMESTAMP.format(ts));
                    json.writeBooleanField("deleted", true);
                });
    }

    /**
     * An {@code edited} frame cut where its own position {@code at} goes: the message {@code seq}
     * has the text {@code text} since {@code editedAt}.
     */
    public static SeqSlot editedAroundAt(String room, long seq, String text, Instant editedAt) {
        String whole =
                write(
                        json -> {
                            json.writeStringField("type", "edited");
                            json.writeStringField("room", room);
                            json.writeNumberField("seq", seq);
                            json.writeNumberField("at", 0);
                            json.writeStringField("text", text);
                            json.writeStringField("editedAt", TIMESTAMP.format(editedAt));
                        });
        return cutAtZero(whole, amendmentPrefix("edited", room, seq));
    }

    /**
     * A {@code reaction} frame cut where its own position {@code at} goes: {@code user} added
     * ({@code on}) or took back an {@code emoji} on message {@code seq}.
     */
    public static SeqSlot reactionAroundAt(
            String room, long seq, String emoji, String user, boolean on) {
        String whole =
                write(
                        json -> {
                            json.writeStringField("type", "reaction");
                            json.writeStringField("room", room);
                            json.writeNumberField("seq", seq);
                            json.writeNumberField("at", 0);
                            json.writeStringField("emoji", emoji);
                            json.writeStringField("user", user);
                            json.writeBooleanField("on", on);
                        });
        return cutAtZero(whole, amendmentPrefix("reaction", room, seq));
    }

    /** A {@code deleted} frame cut where its own position {@code at} goes. */
    public static SeqSlot deletedAroundAt(String room, long seq) {
        return cutAtZero(deleted(room, seq, 0), amendmentPrefix("deleted", room, seq));
    }

    /** The {@code deleted} frame of message {@code seq}, at position {@code at}. */
    public static String deleted(String room, long seq, long at) {
        return write(
                json -> {
                    json.writeStringField("type", "deleted");
                    json.writeStringField("room", room);
                    json.writeNumberField("seq", seq);
                    json.writeNumberField("at", at);
                });
    }

    /**
     * How every {@code edited} frame of message {@code seq} begins, up to its {@code at}: a
     * deletion finds the earlier edits of the message by it, to erase their texts.
     */
    public static String editedPrefix(String room, long seq) {
        return amendmentPrefix("edited", room, seq);
    }

    /**
     * The {@code deleted} frame an {@code edited} frame of message {@code seq} becomes when that
     * message is deleted, at the same position; empty for any other frame.
     */
    public static Optional<String> erasedEdit(String frame, String room, long seq) {
        String prefix = editedPrefix(room, seq);
        if (!frame.startsWith(prefix)) {
            return Optional.empty();
        }
        int end = prefix.length();
        while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
            end++;
        }
        return Optional.of(
                deleted(room, seq, Long.parseLong(frame.substring(prefix.length(), end))));
    }

    private static String amendmentPrefix(String type, String room, long seq) {
        return "{\"type\":\"" + type + "\",\"room\":\"" + room + "\",\"seq\":" + seq + ",\"at\":";
    }

    private static SeqSlot cutAtZero(String whole, String prefix) {
        return new SeqSlot(prefix, whole.substring(prefix.length() + 1));
    }

    /**
     * The answer to a {@code history} frame: {@code messages} of the room's {@code epoch}, oldest
     * first, each the frame it was sent live as, embedded as it was stored; {@code firstSeq}, the
     * oldest seq still held; and whether {@code more} messages before them are.
     */
    public static String history(
            String room,
            String epoch,
            List<String> messages,
            long firstSeq,
            boolean more,
            Optional<String> id) {
        return write(
                json -> {
                    json.writeStringField("type", "history");
                    json.writeStringField("room", room);
                    json.writeStringField("epoch", epoch);
                    json.writeArrayFieldStart("messages");
                    for (String message : messages) {
                        json.writeRawValue(message);
                    }
                    json.writeEndArray();
                    json.writeNumberField("firstSeq", firstSeq);
                    json.writeBooleanField("more", more);
                    writeOptional(json, "id", id);
                });
    }

    /**
     * A {@code message} frame cut where its {@code seq} goes, for a backplane that assigns the seq
     * later and then only joins {@code before + seq + after}.
     */
    public static SeqSlot messageAroundSeq(
            String room,
            String from,
            String text,
            Instant ts,
            Optional<String> id,
            boolean service) {
        String withoutSeq = message(room, 0, from, text, ts, id, service);
        int seqAt = ("{\"type\":\"message\",\"room\":\"" + room + "\",\"seq\":").length();
        return new SeqSlot(withoutSeq.substring(0, seqAt), withoutSeq.substring(seqAt + 1));
    }

    /** The parts of a frame before and after its seq. */
    public record SeqSlot(String before, String after) {}

    public static String error(ErrorCode code, String message, Optional<String> ref) {
        return write(
                json -> {
                    json.writeStringField("type", "error");
                    json.writeStringField("code", code.wireName());
                    json.writeStringField("message", message);
                    writeOptional(json, "ref", ref);
                });
    }

    private static void writeOptional(JsonGenerator json, String field, Optional<String> value)
            throws IOException {
        if (value.isPresent()) {
            json.writeStringField(field, value.get());
        }
    }

    /** A duration as seconds in plain decimal notation: {@code 2}, {@code 0.5}. */
    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    private static String write(FieldWriter fields) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException impossible) {
            // A StringWriter does not fail; this only keeps the signature honest.
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }

    @FunctionalInterface
    private interface FieldWriter {
        void write(JsonGenerator json) throws IOException;
    }

    /** What a {@code presence} frame reports. */
    public enum PresenceEvent {
        JOIN("join"),
        LEAVE("leave");

        private final String wireName;

        PresenceEvent(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * Why the server took a connection out of a room ({@code reason} of an unrequested {@code
     * left}).
     */
    public enum LeaveReason {
        /** A refreshed token no longer grants this private room. */
        ACCESS_REVOKED("access_revoked"),
        /** A moderator took the user out of the room; they may join again. */
        KICKED("kicked"),
        /** A moderator banned the user from the room: a {@code join} of it is refused. */
        BANNED("banned");

        private final String wireName;

        LeaveReason(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }
}

package dev.quarkchat.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a client text frame into a {@link ClientCommand}, or refuses it with a typed {@link
 * ErrorCode}.
 *
 * <p>It reads the frame with Jackson's streaming parser (no reflection, so it works the same in a
 * native executable), ignores unknown fields, and refuses duplicate fields and deep nesting so that
 * a hostile frame cannot make the server guess or spend.
 */
public final class CommandDecoder {

    /** Longest accepted {@code id}, in characters. */
    public static final int MAX_ID_LENGTH = 64;

    private static final String TYPE = "type";
    private static final String ROOM = "room";
    private static final String TEXT = "text";
    private static final String ID = "id";
    private static final String SINCE = "since";
    private static final String EPOCH = "epoch";
    private static final String TOKEN = "token";
    private static final String BEFORE = "before";
    private static final String LIMIT = "limit";
    private static final String SEQ = "seq";
    private static final String USER = "user";
    private static final String EMOJI = "emoji";
    private static final String ON = "on";
    private static final Set<String> STRING_FIELDS =
            Set.of(TYPE, ROOM, TEXT, ID, EPOCH, TOKEN, USER, EMOJI);
    private static final Set<String> INTEGER_FIELDS = Set.of(SINCE, BEFORE, LIMIT, SEQ);

    /** Longest accepted {@code epoch}; the server's are 13 characters. */
    public static final int MAX_EPOCH_LENGTH = 64;

    /**
     * Longest accepted {@code token} of a {@code refresh}, in characters: refused before any
     * parsing. Identity providers' tokens are 1 to 4 KB, and a message holds 16 KiB by default.
     */
    public static final int MAX_TOKEN_LENGTH = 8192;

    /**
     * Messages in a {@code history} page without a {@code limit}, unless {@code
     * chat.history.page-max} is lower.
     */
    public static final int DEFAULT_PAGE_LIMIT = 50;

    private static final String TYPES =
            "join, leave, send, typing, read, dm, rooms, react, edit, delete, history, refresh";

    private final JsonFactory json;
    private final int maxTextLength;
    private final int maxNestingDepth;
    private final int pageMax;

    /**
     * @param maxTextLength longest accepted message text, in Unicode code points
     * @param maxNestingDepth deepest JSON nesting accepted; chat frames are flat, so anything deep
     *     is an attack
     * @param pageMax largest accepted {@code limit} of a {@code history} frame
     */
    public CommandDecoder(int maxTextLength, int maxNestingDepth, int pageMax) {
        this.maxTextLength = maxTextLength;
        this.maxNestingDepth = maxNestingDepth;
        this.pageMax = pageMax;
        this.json =
                JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        // The WebSocket message size already bounds lengths; nesting is the one
                        // constraint left to Jackson,
                        // so a StreamConstraintsException always means "too deep".
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(maxNestingDepth)
                                        .maxNumberLength(Integer.MAX_VALUE)
                                        .maxStringLength(Integer.MAX_VALUE)
                                        .maxNameLength(Integer.MAX_VALUE)
                                        .build())
                        .build();
    }

    public ClientCommand decode(String frame) throws RejectedFrameException {
        Fields fields = readFields(frame);
        Optional<String> id = id(fields);
        String type =
                fields.string(TYPE)
                        .orElseThrow(
                                () ->
                                        rejected(
                                                ErrorCode.UNKNOWN_TYPE,
                                                "type must be one of " + TYPES,
                                                id));
        // Arguments are checked left to right: a bad room is reported before a bad text, recovery
        // or page.
        return switch (type) {
            case "join" -> new ClientCommand.Join(room(fields, id), recovery(fields, id), id);
            case "leave" -> new ClientCommand.Leave(room(fields, id), id);
            case "send" -> new ClientCommand.Send(room(fields, id), text(fields, id), id);
            case "typing" -> new ClientCommand.Typing(room(fields, id), id);
            case "read" -> new ClientCommand.Read(room(fields, id), seq(fields, id), id);
            case "dm" -> new ClientCommand.Dm(user(fields, id), recovery(fields, id), id);
            case "rooms" -> new ClientCommand.Rooms(id);
            case "react" ->
                    new ClientCommand.React(
                            room(fields, id),
                            seq(fields, id),
                            emoji(fields, id),
                            on(fields, id),
                            id);
            case "edit" ->
                    new ClientCommand.Edit(room(fields, id), seq(fields, id), text(fields, id), id);
            case "delete" -> new ClientCommand.Delete(room(fields, id), seq(fields, id), id);
            case "history" ->
                    new ClientCommand.History(
                            room(fields, id), before(fields, id), limit(fields, id), id);
            case "refresh" -> new ClientCommand.Refresh(token(fields, id), id);
            default -> throw rejected(ErrorCode.UNKNOWN_TYPE, "type must be one of " + TYPES, id);
        };
    }

    /**
     * The {@code id} of a frame that is refused without being decoded (over the rate limit), or
     * whose handling failed, so that the {@code error} can name it. Reads the top-level fields only
     * up to {@code id}, skipping the values before it unread, and nothing after it.
     *
     * @return empty if the frame is not a JSON object as far as its {@code id}, has none, or its id
     *     is invalid
     */
    public Optional<String> idOf(String frame) {
        try (JsonParser parser = json.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (String name = parser.nextFieldName();
                    name != null;
                    name = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                if (ID.equals(name)) {
                    String id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    return Optional.ofNullable(id).filter(CommandDecoder::isValidId);
                }
                parser.skipChildren();
            }
            return Optional.empty();
        } catch (IOException malformed) {
            return Optional.empty(); // not JSON as far as the id: nothing to refer to
        }
    }

    /**
     * The rule for a client's {@code id}: 1 to {@value #MAX_ID_LENGTH} characters, valid Unicode.
     */
    private static boolean isValidId(String id) {
        return !id.isEmpty() && id.length() <= MAX_ID_LENGTH && !hasLoneSurrogate(id);
    }

    private Fields readFields(String frame) throws RejectedFrameException {
        Fields fields = new Fields();
        try (JsonParser parser = json.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw rejected(
                        ErrorCode.INVALID_JSON,
                        "a frame must be one JSON object",
                        Optional.empty());
            }
            for (String name = parser.nextFieldName();
                    name != null;
                    name = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                if (INTEGER_FIELDS.contains(name)
                        && value == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    fields.integers.put(name, parser.getLongValue());
                } else if (INTEGER_FIELDS.contains(name) && value != JsonToken.VALUE_NULL) {
                    fields.mistyped.add(name);
                    parser.skipChildren();
                } else if (name.equals(ON)
                        && (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE)) {
                    fields.on = Optional.of(value == JsonToken.VALUE_TRUE);
                } else if (name.equals(ON) && value != JsonToken.VALUE_NULL) {
                    fields.mistyped.add(name);
                    parser.skipChildren();
                } else if (!STRING_FIELDS.contains(name) || value == JsonToken.VALUE_NULL) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    fields.strings.put(name, parser.getText());
                } else {
                    fields.mistyped.add(name);
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw rejected(
                        ErrorCode.INVALID_JSON,
                        "a frame must be one JSON object",
                        Optional.empty());
            }
        } catch (StreamConstraintsException tooDeep) {
            throw rejected(
                    ErrorCode.INVALID_JSON,
                    "nested deeper than " + maxNestingDepth + " levels",
                    Optional.empty());
        } catch (IOException malformed) {
            // Jackson's message quotes the input and its source position: keep it out of the reply.
            throw rejected(ErrorCode.INVALID_JSON, describe(malformed), Optional.empty());
        }
        return fields;
    }

    private static String describe(IOException malformed) {
        // Jackson reports a duplicate field as a plain parse error; its message is the only way to
        // tell it.
        if (String.valueOf(malformed.getMessage()).startsWith("Duplicate field")) {
            return "a field appears more than once";
        }
        return "not well-formed JSON";
    }

    private static Optional<String> id(Fields fields) throws RejectedFrameException {
        if (fields.mistyped.contains(ID)) {
            throw rejected(ErrorCode.INVALID_ID, "id must be a string", Optional.empty());
        }
        Optional<String> id = fields.string(ID);
        if (id.isPresent() && !isValidId(id.get())) {
            throw rejected(
                    ErrorCode.INVALID_ID,
                    "id must be 1 to " + MAX_ID_LENGTH + " characters",
                    Optional.empty());
        }
        return id;
    }

    private static String room(Fields fields, Optional<String> id) throws RejectedFrameException {
        Optional<String> room = fields.string(ROOM);
        if (room.isEmpty() || !RoomName.isValid(room.get())) {
            throw rejected(
                    ErrorCode.INVALID_ROOM,
                    "room must match " + RoomName.REGEX + " (lower-case letters, digits, _ and -)",
                    id);
        }
        return room.get();
    }

    /** One emoji, as a user picks it: see {@link Emoji}. */
    private static String emoji(Fields fields, Optional<String> id) throws RejectedFrameException {
        Optional<String> emoji = fields.string(EMOJI);
        if (emoji.isEmpty() || !Emoji.isEmoji(emoji.get())) {
            throw rejected(
                    ErrorCode.INVALID_REACTION,
                    "emoji must be one emoji (at most " + Emoji.MAX_CODE_POINTS + " code points)",
                    id);
        }
        return emoji.get();
    }

    /** Whether a reaction is added: true unless {@code on} says false. */
    private static boolean on(Fields fields, Optional<String> id) throws RejectedFrameException {
        if (fields.mistyped.contains(ON)) {
            throw rejected(ErrorCode.INVALID_REACTION, "on must be true or false", id);
        }
        return fields.on.orElse(true);
    }

    /** A name a user could have, in the form the server knows users by (NFC). */
    private static String user(Fields fields, Optional<String> id) throws RejectedFrameException {
        UserName.Verdict verdict =
                UserName.check(fields.string(USER).orElse(null), UserName.MAX_LENGTH_CEILING);
        if (!verdict.isValid()) {
            throw rejected(
                    ErrorCode.INVALID_USER,
                    "user is not a user name: "
                            + verdict.fault().reason(UserName.MAX_LENGTH_CEILING),
                    id);
        }
        return verdict.name();
    }

    private static Optional<ClientCommand.Recovery> recovery(Fields fields, Optional<String> id)
            throws RejectedFrameException {
        Optional<String> epoch = fields.string(EPOCH);
        Long since = fields.integers.get(SINCE);
        if (fields.mistyped.contains(SINCE)
                || (since != null && since < 0)
                || fields.mistyped.contains(EPOCH)
                || epoch.filter(value -> value.isEmpty() || value.length() > MAX_EPOCH_LENGTH)
                        .isPresent()) {
            throw rejected(
                    ErrorCode.INVALID_SINCE,
                    "since must be a non-negative integer and epoch a string of 1 to "
                            + MAX_EPOCH_LENGTH
                            + " characters",
                    id);
        }
        return since == null
                ? Optional.empty()
                : Optional.of(new ClientCommand.Recovery(since, epoch));
    }

    private static OptionalLong before(Fields fields, Optional<String> id)
            throws RejectedFrameException {
        Long before = fields.integers.get(BEFORE);
        if (fields.mistyped.contains(BEFORE) || (before != null && before < 1)) {
            throw rejected(ErrorCode.INVALID_BEFORE, "before must be a positive integer", id);
        }
        return before == null ? OptionalLong.empty() : OptionalLong.of(before);
    }

    private static long seq(Fields fields, Optional<String> id) throws RejectedFrameException {
        Long seq = fields.integers.get(SEQ);
        if (seq == null || seq < 1) {
            throw rejected(ErrorCode.INVALID_SEQ, "seq must be a positive integer", id);
        }
        return seq;
    }

    private int limit(Fields fields, Optional<String> id) throws RejectedFrameException {
        Long limit = fields.integers.get(LIMIT);
        if (fields.mistyped.contains(LIMIT) || (limit != null && (limit < 1 || limit > pageMax))) {
            throw rejected(
                    ErrorCode.INVALID_LIMIT, "limit must be an integer from 1 to " + pageMax, id);
        }
        return limit == null ? Math.min(DEFAULT_PAGE_LIMIT, pageMax) : limit.intValue();
    }

    private String text(Fields fields, Optional<String> id) throws RejectedFrameException {
        Optional<String> text = fields.string(TEXT);
        if (text.isEmpty() || text.get().isBlank()) {
            throw rejected(ErrorCode.INVALID_TEXT, "text must be a non-blank string", id);
        }
        String value = text.get();
        if (hasLoneSurrogate(value)) {
            // It could not be sent on as UTF-8: every member would get a different text than the
            // one sent.
            throw rejected(
                    ErrorCode.INVALID_TEXT,
                    "text must be valid Unicode (an escaped lone surrogate is not)",
                    id);
        }
        if (value.length() > maxTextLength
                && value.codePointCount(0, value.length()) > maxTextLength) {
            throw rejected(
                    ErrorCode.INVALID_TEXT,
                    "text must be at most " + maxTextLength + " characters",
                    id);
        }
        return value;
    }

    private static String token(Fields fields, Optional<String> id) throws RejectedFrameException {
        Optional<String> token = fields.string(TOKEN);
        if (token.isEmpty() || token.get().isEmpty() || token.get().length() > MAX_TOKEN_LENGTH) {
            throw rejected(
                    ErrorCode.INVALID_TOKEN,
                    "token must be a string of 1 to " + MAX_TOKEN_LENGTH + " characters",
                    id);
        }
        return token.get();
    }

    /**
     * A JSON escape can produce half a surrogate pair (escape d800 alone), which no UTF-8 can
     * carry.
     */
    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static RejectedFrameException rejected(
            ErrorCode code, String message, Optional<String> id) {
        return new RejectedFrameException(code, message, id);
    }

    /**
     * The string- and integer-valued fields the protocol knows, and those of them that came with
     * another JSON type.
     */
    private static final class Fields {
        final Map<String, String> strings = new HashMap<>();
        final Map<String, Long> integers = new HashMap<>();
        final Set<String> mistyped = new HashSet<>();
        Optional<Boolean> on = Optional.empty();

        Optional<String> string(String name) {
            return Optional.ofNullable(strings.get(name));
        }
    }
}

package dev.quarkchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.protocol.ErrorCode;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Random frames against the endpoint, checking invariants rather than cases: the server answers
 * only with documented frames and error codes, closes only with documented codes, and two canaries
 * keep talking. The seed is printed; rerun one with {@code -Dfuzz.seed=<seed>}.
 */
@QuarkusTest
class FrameFuzzTest {

    private static final int TEXT_FRAMES = 400;
    private static final int RAW_FRAMES = 60;
    private static final int MAX_DEPTH = 20;
    private static final Set<String> ERROR_CODES =
            Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).collect(Collectors.toSet());
    private static final Set<String> SERVER_FRAME_TYPES =
            Set.of(
                    "welcome",
                    "joined",
                    "left",
                    "presence",
                    "typing",
                    "read",
                    "rooms",
                    "room",
                    "reaction",
                    "mention",
                    "message",
                    "edited",
                    "deleted",
                    "history",
                    "error");

    /**
     * How a raw connection may end after a random frame and the client's own close (1000): dropped
     * (empty), the close echoed, or a documented close code.
     */
    private static final Set<Optional<Integer>> CLOSE_OUTCOMES =
            Set.of(
                    Optional.empty(),
                    Optional.of(1000),
                    Optional.of(1003),
                    Optional.of(1007),
                    Optional.of(1009));

    private static final int OPCODES = 16;

    /** What a mutation inserts: the characters that make JSON, and break it. */
    private static final String JSON_PUNCTUATION = "{}[]\",:\\u0";

    private static final String[] KEYS = {
        "type", "room", "text", "id", "since", "epoch", "token", "before", "limit", "from", "seq",
        "x"
    };
    private static final String[] TYPES = {
        "join", "leave", "send", "typing", "read", "dm", "rooms", "react", "edit", "delete",
        "history", "refresh", "JOIN", "", "message"
    };
    private static final String[] ROOMS = {
        "lobby", "fuzz", "private-fuzz", "-x", "Fuzz", "a".repeat(65), ""
    };

    @TestHTTPResource("/")
    URI base;

    private final long seed = Long.getLong("fuzz.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void randomTextFramesGetOnlyDocumentedAnswersAndNobodyElseNotices() {
        System.out.println("FrameFuzzTest seed: " + seed);
        try (ChatClient canaryA = ChatClient.connect(base, TestTokens.valid("fuzz-canary-a"));
                ChatClient canaryB = ChatClient.connect(base, TestTokens.valid("fuzz-canary-b"));
                ChatClient fuzzer = ChatClient.connect(base, TestTokens.valid("fuzzer"))) {
            for (int i = 0; i < TEXT_FRAMES; i++) {
                fuzzer.sendText(randomFrame());
            }
            // A random frame may well have been a valid leave of the lobby: join it again (a no-op
            // if still in it).
            fuzzer.sendJson(new JsonObject().put("type", "join").put("room", "lobby"));
            fuzzer.send("lobby", "end of fuzz", "fuzz-end");
            canaryB.awaitMessage("fuzz-end");

            assertThat(fuzzer.frames())
                    .as("seed " + seed)
                    .allSatisfy(
                            frame -> {
                                assertThat(SERVER_FRAME_TYPES).contains(frame.getString("type"));
                                if ("error".equals(frame.getString("type"))) {
                                    assertThat(ERROR_CODES).contains(frame.getString("code"));
                                    assertThat(frame.getString("message"))
                                            .doesNotContain("Exception")
                                            .doesNotContain("\tat ");
                                }
                            });
            canaryA.send("lobby", "still here", "fuzz-canary");
            canaryB.awaitMessage("fuzz-canary");
        }
    }

    @Test
    void randomRawFramesEndOnlyInDocumentedWays() throws IOException {
        System.out.println("FrameFuzzTest seed: " + seed);
        try (ChatClient canaryA = ChatClient.connect(base, TestTokens.valid("raw-canary-a"));
                ChatClient canaryB = ChatClient.connect(base, TestTokens.valid("raw-canary-b"))) {
            for (int i = 0; i < RAW_FRAMES; i++) {
                try (RawWebSocket raw =
                        RawWebSocket.connect(base, TestTokens.valid("raw-fuzzer"))) {
                    byte[] payload = new byte[random.nextInt(300)];
                    random.nextBytes(payload);
                    int opcode = random.nextInt(OPCODES - 1);
                    // Any opcode but close, which the client sends itself right after.
                    boolean written =
                            raw.tryWriteFrame(
                                            opcode >= RawWebSocket.OPCODE_CLOSE
                                                    ? opcode + 1
                                                    : opcode,
                                            random.nextBoolean(),
                                            payload)
                                    && raw.tryWriteFrame(
                                            RawWebSocket.OPCODE_CLOSE,
                                            true,
                                            new byte[] {0x03, (byte) 0xE8});
                    Optional<Integer> end = written ? raw.readUntilEnd() : Optional.empty();

                    assertThat(end).as("seed " + seed + ", frame " + i).isIn(CLOSE_OUTCOMES);
                }
            }
            canaryA.send("lobby", "still here", "raw-canary");
            canaryB.awaitMessage("raw-canary");
        }
    }

    private String randomFrame() {
        return switch (random.nextInt(5)) {
            case 0 -> sendable(mutate(randomObject(0).encode()));
            case 1 -> randomUnicode(random.nextInt(200));
            default -> randomObject(0).encode();
        };
    }

    private JsonObject randomObject(int depth) {
        JsonObject object = new JsonObject();
        int fields = random.nextInt(6);
        for (int i = 0; i < fields; i++) {
            String key = KEYS[random.nextInt(KEYS.length)];
            object.put(key, randomValue(key, depth));
        }
        return object;
    }

    private Object randomValue(String key, int depth) {
        return switch (random.nextInt(8)) {
            case 0 -> depth < MAX_DEPTH ? randomObject(depth + 1) : null;
            case 1 -> depth < MAX_DEPTH ? new JsonArray().add(randomValue(key, depth + 1)) : 0;
            case 2 -> random.nextLong();
            case 3 -> random.nextBoolean();
            case 4 -> null;
            default ->
                    switch (key) {
                        case "type" -> TYPES[random.nextInt(TYPES.length)];
                        case "room" -> ROOMS[random.nextInt(ROOMS.length)];
                        // Around the valid range, its bounds included.
                        case "before", "limit", "seq" -> random.nextInt(300) - 10;
                        default -> randomUnicode(random.nextInt(80));
                    };
        };
    }

    private String mutate(String json) {
        StringBuilder mutated = new StringBuilder(json);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && mutated.length() > 0; i++) {
            int at = random.nextInt(mutated.length());
            switch (random.nextInt(3)) {
                case 0 -> mutated.deleteCharAt(at);
                case 1 ->
                        mutated.insert(
                                at,
                                JSON_PUNCTUATION.charAt(random.nextInt(JSON_PUNCTUATION.length())));
                default -> mutated.setLength(at);
            }
        }
        return mutated.toString();
    }

    /**
     * A cut can split a surrogate pair, which a WebSocket client cannot send as UTF-8: drop the
     * half.
     */
    private static String sendable(String text) {
        StringBuilder whole = new StringBuilder();
        text.codePoints()
                .filter(codePoint -> !Character.isSurrogate((char) codePoint) || codePoint > 0xFFFF)
                .forEach(whole::appendCodePoint);
        return whole.toString();
    }

    private String randomUnicode(int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int codePoint;
            do {
                codePoint =
                        random.nextInt(4) == 0 ? random.nextInt(0x10FFFF) : random.nextInt(0x80);
            } while (Character.isSurrogate((char) codePoint) && codePoint <= 0xFFFF);
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }
}

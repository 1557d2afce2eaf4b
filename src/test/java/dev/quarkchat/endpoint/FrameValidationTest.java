package dev.quarkchat.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Bad input gets the documented answer (docs/protocol.md, "Errors" and "Close codes"), and the
 * other members of the room never notice: after each case a watcher in the lobby still gets the
 * next message.
 */
@QuarkusTest
class FrameValidationTest {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024;
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    private static final String LONG_ROOM = "r".repeat(65);
    private static final String LONG_ID = "i".repeat(65);
    private static final String TEXT_4001 = "x".repeat(4001);

    /** 4000 code points, but 8000 UTF-16 chars: the limit counts what people see as characters. */
    private static final String EMOJI_4000 = "\uD83D\uDE00".repeat(4000);

    private static final AtomicInteger CANARIES = new AtomicInteger();

    @TestHTTPResource("/")
    URI base;

    private ChatClient watcher;

    @BeforeEach
    void connectWatcher() {
        watcher = connect("watcher");
    }

    @AfterEach
    void closeWatcher() {
        watcher.close();
    }

    static Stream<Arguments> refusedFrames() {
        return Stream.of(
                Arguments.of("not JSON", "hello", "invalid_json", null),
                Arguments.of(
                        "truncated JSON",
                        "{\"type\":\"send\",\"room\":\"lobby\"",
                        "invalid_json",
                        null),
                Arguments.of("a JSON array", "[\"send\",\"lobby\",\"hi\"]", "invalid_json", null),
                Arguments.of("a JSON string", "\"send\"", "invalid_json", null),
                Arguments.of(
                        "two objects",
                        "{\"type\":\"join\",\"room\":\"a\"}{}",
                        "invalid_json",
                        null),
                Arguments.of(
                        "a duplicate field",
                        "{\"type\":\"join\",\"room\":\"a\",\"room\":\"b\"}",
                        "invalid_json",
                        null),
                Arguments.of(
                        "deep nesting",
                        "{\"x\":"
                                + "[".repeat(40)
                                + "]".repeat(40)
                                + ",\"type\":\"join\",\"room\":\"a\"}",
                        "invalid_json",
                        null),
                Arguments.of("an empty frame", "", "invalid_json", null),
                Arguments.of(
                        "no type", "{\"room\":\"lobby\",\"id\":\"t-1\"}", "unknown_type", "t-1"),
                Arguments.of(
                        "an unknown type",
                        "{\"type\":\"shout\",\"room\":\"lobby\",\"id\":\"t-2\"}",
                        "unknown_type",
                        "t-2"),
                Arguments.of(
                        "a numeric type",
                        "{\"type\":7,\"room\":\"lobby\",\"id\":\"t-3\"}",
                        "unknown_type",
                        "t-3"),
                Arguments.of(
                        "join without room",
                        "{\"type\":\"join\",\"id\":\"r-1\"}",
                        "invalid_room",
                        "r-1"),
                Arguments.of(
                        "upper-case room",
                        "{\"type\":\"join\",\"room\":\"Lobby\",\"id\":\"r-2\"}",
                        "invalid_room",
                        "r-2"),
                Arguments.of(
                        "room with a space",
                        "{\"type\":\"join\",\"room\":\"my room\",\"id\":\"r-3\"}",
                        "invalid_room",
                        "r-3"),
                Arguments.of(
                        "room starting with -",
                        "{\"type\":\"join\",\"room\":\"-x\",\"id\":\"r-4\"}",
                        "invalid_room",
                        "r-4"),
                Arguments.of(
                        "65-character room",
                        "{\"type\":\"join\",\"room\":\"" + LONG_ROOM + "\",\"id\":\"r-5\"}",
                        "invalid_room",
                        "r-5"),
                Arguments.of(
                        "numeric room",
                        "{\"type\":\"join\",\"room\":5,\"id\":\"r-6\"}",
                        "invalid_room",
                        "r-6"),
                Arguments.of(
                        "send with a bad room",
                        "{\"type\":\"send\",\"room\":\"\",\"text\":\"hi\",\"id\":\"r-7\"}",
                        "invalid_room",
                        "r-7"),
                Arguments.of(
                        "send without text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"id\":\"x-1\"}",
                        "invalid_text",
                        "x-1"),
                Arguments.of(
                        "empty text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"\",\"id\":\"x-2\"}",
                        "invalid_text",
                        "x-2"),
                Arguments.of(
                        "blank text",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\" \\t\\n \",\"id\":\"x-3\"}",
                        "invalid_text",
                        "x-3"),
                Arguments.of(
                        "4001 characters",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\""
                                + TEXT_4001
                                + "\",\"id\":\"x-4\"}",
                        "invalid_text",
                        "x-4"),
                Arguments.of(
                        "text that is an object",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":{\"a\":1},\"id\":\"x-5\"}",
                        "invalid_text",
                        "x-5"),
                Arguments.of(
                        "numeric id",
                        "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"hi\",\"id\":17}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "65-character id",
                        "{\"type\":\"join\",\"room\":\"lobby\",\"id\":\"" + LONG_ID + "\"}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "empty id",
                        "{\"type\":\"join\",\"room\":\"lobby\",\"id\":\"\"}",
                        "invalid_id",
                        null),
                Arguments.of(
                        "send to a room not joined",
                        "{\"type\":\"send\",\"room\":\"elsewhere\",\"text\":\"hi\",\"id\":\"n-1\"}",
                        "not_joined",
                        "n-1"),
                Arguments.of(
                        "leave a room not joined",
                        "{\"type\":\"leave\",\"room\":\"elsewhere\",\"id\":\"n-2\"}",
                        "not_joined",
                        "n-2"),
                Arguments.of(
                        "history of a room not joined",
                        "{\"type\":\"history\",\"room\":\"elsewhere\",\"id\":\"n-3\"}",
                        "not_joined",
                        "n-3"),
                Arguments.of(
                        "history without room",
                        "{\"type\":\"history\",\"before\":5,\"id\":\"p-1\"}",
                        "invalid_room",
                        "p-1"),
                Arguments.of(
                        "history before 0",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"before\":0,\"id\":\"p-2\"}",
                        "invalid_before",
                        "p-2"),
                Arguments.of(
                        "history before as text",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"before\":\"9\",\"id\":\"p-3\"}",
                        "invalid_before",
                        "p-3"),
                Arguments.of(
                        "history limit 0",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":0,\"id\":\"p-4\"}",
                        "invalid_limit",
                        "p-4"),
                Arguments.of(
                        "history limit over page-max",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":101,\"id\":\"p-5\"}",
                        "invalid_limit",
                        "p-5"),
                Arguments.of(
                        "history limit with a fraction",
                        "{\"type\":\"history\",\"room\":\"lobby\",\"limit\":1.5,\"id\":\"p-6\"}",
                        "invalid_limit",
                        "p-6"),
                Arguments.of(
                        "edit without seq",
                        "{\"type\":\"edit\",\"room\":\"lobby\",\"text\":\"x\",\"id\":\"e-1\"}",
                        "invalid_seq",
                        "e-1"),
                Arguments.of(
                        "edit seq 0",
                        "{\"type\":\"edit\",\"room\":\"lobby\",\"seq\":0,\"text\":\"x\",\"id\":\"e-2\"}",
                        "invalid_seq",
                        "e-2"),
                Arguments.of(
                        "edit without text",
                        "{\"type\":\"edit\",\"room\":\"lobby\",\"seq\":1,\"id\":\"e-3\"}",
                        "invalid_text",
                        "e-3"),
                Arguments.of(
                        "edit with a blank text",
                        "{\"type\":\"edit\",\"room\":\"lobby\",\"seq\":1,\"text\":\" \",\"id\":\"e-4\"}",
                        "invalid_text",
                        "e-4"),
                Arguments.of(
                        "edit of a message nobody posted",
                        "{\"type\":\"edit\",\"room\":\"lobby\",\"seq\":999999,\"text\":\"x\",\"id\":\"e-5\"}",
                        "unknown_message",
                        "e-5"),
                Arguments.of(
                        "delete without room",
                        "{\"type\":\"delete\",\"seq\":1,\"id\":\"d-1\"}",
                        "invalid_room",
                        "d-1"),
                Arguments.of(
                        "delete seq as text",
                        "{\"type\":\"delete\",\"room\":\"lobby\",\"seq\":\"1\",\"id\":\"d-2\"}",
                        "invalid_seq",
                        "d-2"),
                Arguments.of(
                        "delete in a room not joined",
                        "{\"type\":\"delete\",\"room\":\"elsewhere\",\"seq\":1,\"id\":\"d-3\"}",
                        "not_joined",
                        "d-3"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusedFrames")
    void aBadFrameGetsATypedErrorAndTheConnectionStaysUsable(
            String description, String frame, String code, String ref) {
        try (ChatClient client = connect("sender")) {
            client.sendText(frame);

            JsonObject error = client.awaitAnyError();
            assertThat(error.getString("code")).isEqualTo(code);
            assertThat(error.getString("ref")).isEqualTo(ref);
            assertThat(error.getString("message"))
                    .isNotBlank()
                    .doesNotContain("Exception")
                    .doesNotContain("at com.");

            assertCanaryGetsThrough(client);
        }
    }

    @Test
    void unknownFieldsAreIgnored() {
        try (ChatClient client = connect("sender")) {
            client.sendJson(
                    new JsonObject()
                            .put("type", "send")
                            .put("room", "lobby")
                            .put("text", "hi")
                            .put("id", "u-1")
                            .put("colour", "red")
                            .put("nested", new JsonObject().put("deep", true)));

            assertThat(watcher.awaitMessage("u-1").getString("text")).isEqualTo("hi");
        }
    }

    @Test
    void theTextLimitCountsCharactersNotUtf16Units() {
        try (ChatClient client = connect("sender")) {
            client.send("lobby", EMOJI_4000, "emoji-1");

            assertThat(watcher.awaitMessage("emoji-1").getString("text")).isEqualTo(EMOJI_4000);
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() {
        try (ChatClient client = connect("sender")) {
            client.sendBinary(new byte[] {1, 2, 3});

            assertThat(client.awaitClose()).isEqualTo(1003);
            assertCanaryGetsThrough(watcher);
        }
    }

    @Test
    void aFrameOverTheMaximumClosesWith1009() throws IOException {
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("sender"))) {
            raw.writeText(sendFrame("x".repeat(MAX_MESSAGE_BYTES + 1), "big-1"));

            assertThat(raw.readCloseCode()).isEqualTo(1009);
        }
        assertCanaryGetsThrough(watcher);
    }

    @Test
    void aFragmentedMessageOverTheMaximumClosesWith1009() throws IOException {
        byte[] fragment = new byte[MAX_MESSAGE_BYTES / 2];
        Arrays.fill(fragment, (byte) ' ');
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("sender"))) {
            raw.writeFrame(RawWebSocket.OPCODE_TEXT, false, fragment);
            raw.writeFrame(RawWebSocket.OPCODE_CONTINUATION, false, fragment);
            raw.writeFrame(RawWebSocket.OPCODE_CONTINUATION, true, fragment);

            assertThat(raw.readCloseCode()).isEqualTo(1009);
        }
        assertCanaryGetsThrough(watcher);
    }

    @Test
    void aFragmentedMessageIsReassembled() throws IOException {
        byte[] whole = sendFrame("sent in three pieces", "frag-1").getBytes(StandardCharsets.UTF_8);
        int third = whole.length / 3;
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("sender"))) {
            raw.writeFrame(RawWebSocket.OPCODE_TEXT, false, Arrays.copyOfRange(whole, 0, third));
            raw.writeFrame(
                    RawWebSocket.OPCODE_CONTINUATION,
                    false,
                    Arrays.copyOfRange(whole, third, 2 * third));
            raw.writeFrame(
                    RawWebSocket.OPCODE_CONTINUATION,
                    true,
                    Arrays.copyOfRange(whole, 2 * third, whole.length));

            String ownCopy = raw.readTextContaining("frag-1");
            assertThat(new JsonObject(ownCopy).getString("text")).isEqualTo("sent in three pieces");
            assertThat(watcher.awaitMessage("frag-1").getString("from")).isEqualTo("sender");
        }
    }

    @Test
    void aFrameOverTheFrameLimitClosesWith1009() throws IOException {
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("sender"))) {
            raw.streamFrame(RawWebSocket.OPCODE_TEXT, true, MAX_FRAME_BYTES + 1, (byte) 'x');

            assertThat(raw.readCloseCode()).isEqualTo(1009);
        }
        assertCanaryGetsThrough(watcher);
    }

    @Test
    void invalidUtf8ClosesWith1007() throws IOException {
        byte[] invalid = {'{', '"', 't', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        try (RawWebSocket raw = RawWebSocket.connect(base, TestTokens.valid("sender"))) {
            raw.writeFrame(RawWebSocket.OPCODE_TEXT, true, invalid);

            assertThat(raw.readUntilEnd()).contains(1007);
        }
        assertCanaryGetsThrough(watcher);
    }

    /** The client can still talk, and the watcher in the lobby still hears it. */
    private void assertCanaryGetsThrough(ChatClient client) {
        String id = "canary-" + CANARIES.incrementAndGet();
        client.send("lobby", "still here", id);
        client.awaitMessage(id);
        watcher.awaitMessage(id);
    }

    private static String sendFrame(String text, String id) {
        return new JsonObject()
                .put("type", "send")
                .put("room", "lobby")
                .put("text", text)
                .put("id", id)
                .encode();
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

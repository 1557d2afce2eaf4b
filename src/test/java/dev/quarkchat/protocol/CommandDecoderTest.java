package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The decoder alone; FrameValidationTest covers the same rules end to end over a socket. */
class CommandDecoderTest {

    private static final int MAX_TEXT_LENGTH = 10;

    private static final int MAX_DEPTH = 4;

    private final CommandDecoder decoder = new CommandDecoder(MAX_TEXT_LENGTH, MAX_DEPTH);

    @Test
    void decodesEachCommand() throws RejectedFrameException {
        assertThat(decoder.decode("{\"type\":\"join\",\"room\":\"general\"}"))
                .isEqualTo(new ClientCommand.Join("general", Optional.empty(), Optional.empty()));
        assertThat(decoder.decode("{\"room\":\"general\",\"type\":\"leave\",\"id\":\"l1\"}"))
                .isEqualTo(new ClientCommand.Leave("general", Optional.of("l1")));
        assertThat(decoder.decode("{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi \\\"you\\\"\",\"id\":\"s1\"}"))
                .isEqualTo(new ClientCommand.Send("general", "hi \"you\"", Optional.of("s1")));
    }

    @Test
    void aRefreshCarriesItsTokenUpToTheLengthLimitAndIsRefusedPastItUnread() throws RejectedFrameException {
        assertThat(decoder.decode("{\"type\":\"refresh\",\"token\":\"a.b.c\",\"id\":\"r1\"}"))
                .isEqualTo(new ClientCommand.Refresh("a.b.c", Optional.of("r1")));
        String longest = "t".repeat(CommandDecoder.MAX_TOKEN_LENGTH);
        assertThat(decoder.decode(refresh("\"" + longest + "\"")))
                .isEqualTo(new ClientCommand.Refresh(longest, Optional.of("r2")));

        for (String token : List.of("\"" + longest + "t\"", "\"\"", "42", "[\"a.b.c\"]", "null")) {
            assertThatThrownBy(() -> decoder.decode(refresh(token)))
                    .as(token.length() > 20 ? "a token one character too long" : token)
                    .isInstanceOfSatisfying(RejectedFrameException.class, rejected -> {
                        assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
                        assertThat(rejected.ref()).contains("r2");
                    });
        }
    }

    @Test
    void nullFieldsCountAsAbsentAndUnknownFieldsAreSkipped() throws RejectedFrameException {
        assertThat(decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"id\":null,\"extra\":{\"x\":[1,2,{\"y\":null}]}}"))
                .isEqualTo(new ClientCommand.Join("a", Optional.empty(), Optional.empty()));
    }

    @Test
    void nestingIsLimitedToTheConfiguredDepth() throws RejectedFrameException {
        assertThat(decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"x\":[[[1]]]}")).isInstanceOf(ClientCommand.Join.class);
        assertThatThrownBy(() -> decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"x\":[[[[1]]]]}"))
                .isInstanceOfSatisfying(RejectedFrameException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_JSON);
                    assertThat(rejected.getMessage()).isEqualTo("nested deeper than 4 levels");
                });
    }

    @Test
    void textLengthCountsCodePoints() throws RejectedFrameException {
        String tenEmoji = "\uD83C\uDF89".repeat(MAX_TEXT_LENGTH);
        assertThat(decoder.decode(send(tenEmoji))).isInstanceOf(ClientCommand.Send.class);
        assertThatThrownBy(() -> decoder.decode(send(tenEmoji + "!")))
                .isInstanceOfSatisfying(RejectedFrameException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_TEXT));
    }

    @Test
    void theErrorMessageNeverEchoesTheInput() {
        assertThatThrownBy(() -> decoder.decode("{\"type\":\"join\",\"room\":<secret-token>}"))
                .isInstanceOfSatisfying(RejectedFrameException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_JSON);
                    assertThat(rejected.getMessage()).doesNotContain("secret").doesNotContain("line:");
                });
    }

    @Test
    void theRefIsTheIdOfTheRefusedFrame() {
        assertThatThrownBy(() -> decoder.decode("{\"type\":\"send\",\"room\":\"UPPER\",\"text\":\"x\",\"id\":\"abc\"}"))
                .isInstanceOfSatisfying(RejectedFrameException.class, rejected -> {
                    assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_ROOM);
                    assertThat(rejected.ref()).contains("abc");
                });
    }

    private static String refresh(String tokenJson) {
        return "{\"type\":\"refresh\",\"token\":" + tokenJson + ",\"id\":\"r2\"}";
    }

    private static String send(String text) {
        return "{\"type\":\"send\",\"room\":\"a\",\"text\":\"" + text + "\"}";
    }
}

package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

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
        assertThat(
                        decoder.decode(
                                "{\"type\":\"send\",\"room\":\"general\",\"text\":\"hi \\\"you\\\"\",\"id\":\"s1\"}"))
                .isEqualTo(new ClientCommand.Send("general", "hi \"you\"", Optional.of("s1")));
    }

    @Test
    void aRefreshCarriesItsTokenUpToTheLengthLimitAndIsRefusedPastItUnread()
            throws RejectedFrameException {
        assertThat(decoder.decode("{\"type\":\"refresh\",\"token\":\"a.b.c\",\"id\":\"r1\"}"))
                .isEqualTo(new ClientCommand.Refresh("a.b.c", Optional.of("r1")));
        String longest = "t".repeat(CommandDecoder.MAX_TOKEN_LENGTH);
        assertThat(decoder.decode(refresh("\"" + longest + "\"")))
                .isEqualTo(new ClientCommand.Refresh(longest, Optional.of("r2")));

        for (String token : List.of("\"" + longest + "t\"", "\"\"", "42", "[\"a.b.c\"]", "null")) {
            assertThatThrownBy(() -> decoder.decode(refresh(token)))
                    .as(token.length() > 20 ? "a token one character too long" : token)
                    .isInstanceOfSatisfying(
                            RejectedFrameException.class,
                            rejected -> {
                                assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_TOKEN);
                                assertThat(rejected.ref()).contains("r2");
                            });
        }
    }

    @Test
    void nullFieldsCountAsAbsentAndUnknownFieldsAreSkipped() throws RejectedFrameException {
        assertThat(
                        decoder.decode(
                                "{\"type\":\"join\",\"room\":\"a\",\"id\":null,\"extra\":{\"x\":[1,2,{\"y\":null}]}}"))
                .isEqualTo(new ClientCommand.Join("a", Optional.empty(), Optional.empty()));
    }

    @Test
    void nestingIsLimitedToTheConfiguredDepth() throws RejectedFrameException {
        assertThat(decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"x\":[[[1]]]}"))
                .isInstanceOf(ClientCommand.Join.class);
        assertThatThrownBy(
                        () -> decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"x\":[[[[1]]]]}"))
                .isInstanceOfSatisfying(
                        RejectedFrameException.class,
                        rejected -> {
                            assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_JSON);
                            assertThat(rejected.getMessage())
                                    .isEqualTo("nested deeper than 4 levels");
                        });
    }

    @Test
    void onlyDepthIsReportedAsTooDeep() throws RejectedFrameException {
        String longNumber = "1".repeat(5_000);
        String longName = "n".repeat(60_000);
        assertThat(decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"x\":" + longNumber + "}"))
                .isInstanceOf(ClientCommand.Join.class);
        assertThat(decoder.decode("{\"type\":\"join\",\"room\":\"a\",\"" + longName + "\":1}"))
                .isInstanceOf(ClientCommand.Join.class);
    }

    @Test
    void textLengthCountsCodePoints() throws RejectedFrameException {
        String tenEmoji = "\uD83C\uDF89".repeat(MAX_TEXT_LENGTH);
        assertThat(decoder.decode(send(tenEmoji))).isInstanceOf(ClientCommand.Send.class);
        assertThatThrownBy(() -> decoder.decode(send(tenEmoji + "!")))
                .isInstanceOfSatisfying(
                        RejectedFrameException.class,
                        rejected -> assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_TEXT));
    }

    @Test
    void theErrorMessageNeverEchoesTheInput() {
        assertThatThrownBy(() -> decoder.decode("{\"type\":\"join\",\"room\":<secret-token>}"))
                .isInstanceOfSatisfying(
                        RejectedFrameException.class,
                        rejected -> {
                            assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_JSON);
                            assertThat(rejected.getMessage())
                                    .doesNotContain("secret")
                                    .doesNotContain("line:");
                        });
    }

    @Test
    void theRefIsTheIdOfTheRefusedFrame() {
        assertThatThrownBy(
                        () ->
                                decoder.decode(
                                        "{\"type\":\"send\",\"room\":\"UPPER\",\"text\":\"x\",\"id\":\"abc\"}"))
                .isInstanceOfSatisfying(
                        RejectedFrameException.class,
                        rejected -> {
                            assertThat(rejected.code()).isEqualTo(ErrorCode.INVALID_ROOM);
                            assertThat(rejected.ref()).contains("abc");
                        });
    }

    @Test
    void idOfReadsTheIdAloneWhereverItIs() {
        String id64 = "i".repeat(CommandDecoder.MAX_ID_LENGTH);
        assertThat(decoder.idOf("{\"id\":\"c-1\",\"type\":\"send\"}")).contains("c-1");
        assertThat(
                        decoder.idOf(
                                "{\"type\":\"send\",\"x\":{\"id\":\"in\",\"y\":[{}]},\"id\":\"c-2\"}"))
                .contains("c-2");
        assertThat(decoder.idOf("{\"id\":\"" + id64 + "\"}")).contains(id64);
        // Nothing after the id is read: a frame refused unread is answered by its id all the same.
        assertThat(decoder.idOf("{\"id\":\"c-3\",\"text\": <not JSON")).contains("c-3");
    }

    @Test
    void idOfIsEmptyWithoutAValidId() {
        assertThat(decoder.idOf("{\"type\":\"send\",\"text\":\"hi\"}")).isEmpty();
        assertThat(decoder.idOf("{\"x\":{\"id\":\"inner\"}}"))
                .as("an id below the top level")
                .isEmpty();
        assertThat(decoder.idOf("{\"id\":null}")).isEmpty();
        assertThat(decoder.idOf("{\"id\":17}")).isEmpty();
        assertThat(decoder.idOf("{\"id\":\"\"}")).isEmpty();
        assertThat(
                        decoder.idOf(
                                "{\"id\":\""
                                        + "i".repeat(CommandDecoder.MAX_ID_LENGTH + 1)
                                        + "\"}"))
                .isEmpty();
        assertThat(decoder.idOf("{\"id\":\"\\ud800\"}")).as("a lone surrogate").isEmpty();
        assertThat(decoder.idOf("not JSON")).isEmpty();
        assertThat(decoder.idOf("[\"id\",\"c-4\"]")).isEmpty();
        assertThat(decoder.idOf("{\"text\": <not JSON, \"id\":\"c-5\"}"))
                .as("malformed before the id")
                .isEmpty();
        assertThat(decoder.idOf("{\"x\":[[[[1]]]],\"id\":\"c-6\"}"))
                .as("nested too deep before the id")
                .isEmpty();
        assertThat(decoder.idOf("")).isEmpty();
    }

    private static String refresh(String tokenJson) {
        return "{\"type\":\"refresh\",\"token\":" + tokenJson + ",\"id\":\"r2\"}";
    }

    private static String send(String text) {
        return "{\"type\":\"send\",\"room\":\"a\",\"text\":\"" + text + "\"}";
    }
}

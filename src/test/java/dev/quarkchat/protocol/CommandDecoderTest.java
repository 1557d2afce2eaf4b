package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The decoder alone; FrameValidationTest covers the same rules end to end over a socket. */
class CommandDecoderTest {

    private static final int MAX_TEXT_LENGTH = 10;

    private static final int MAX_DEPTH = 4;

    private static final int PAGE_MAX = 80;

    private final CommandDecoder decoder = new CommandDecoder(MAX_TEXT_LENGTH, MAX_DEPTH, PAGE_MAX);

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
        assertThat(decoder.decode("{\"type\":\"typing\",\"room\":\"general\",\"id\":\"t1\"}"))
                .isEqualTo(new ClientCommand.Typing("general", Optional.of("t1")));
        assertThat(decoder.decode("{\"type\":\"read\",\"room\":\"general\",\"seq\":120}"))
                .isEqualTo(new ClientCommand.Read("general", 120, Optional.empty()));
        assertThat(decoder.decode("{\"type\":\"dm\",\"user\":\"Zoe\u0308\"}"))
                .as("the name in NFC, as the server knows users")
                .isEqualTo(new ClientCommand.Dm("Zo\u00eb", Optional.empty(), Optional.empty()));
        assertThat(decoder.decode("{\"type\":\"rooms\",\"id\":\"r1\"}"))
                .isEqualTo(new ClientCommand.Rooms(Optional.of("r1")));
    }

    @Test
    void editAndDeleteCarryTheirSeq() throws RejectedFrameException {
        assertThat(
                        decoder.decode(
                                "{\"type\":\"edit\",\"room\":\"general\",\"seq\":12,\"text\":\"hi!\",\"id\":\"e1\"}"))
                .isEqualTo(new ClientCommand.Edit("general", 12, "hi!", Optional.of("e1")));
        assertThat(decoder.decode("{\"type\":\"delete\",\"room\":\"general\",\"seq\":12}"))
                .isEqualTo(new ClientCommand.Delete("general", 12, Optional.empty()));
        assertThat(
                        decoder.decode(
                                "{\"type\":\"delete\",\"room\":\"general\",\"seq\":"
                                        + Long.MAX_VALUE
                                        + "}"))
                .isEqualTo(new ClientCommand.Delete("general", Long.MAX_VALUE, Optional.empty()));
    }

    @Test
    void aSeqThatIsNotAPositiveIntegerIsRefusedWithItsRef() {
        for (String seq : List.of("0", "-1", "1.5", "\"3\"", "true", "[1]", "1e3")) {
            assertRefused(
                    "{\"type\":\"delete\",\"room\":\"general\",\"seq\":" + seq + ",\"id\":\"h-2\"}",
                    ErrorCode.INVALID_SEQ,
                    seq);
        }
        assertRefused(
                "{\"type\":\"edit\",\"room\":\"general\",\"text\":\"x\",\"id\":\"h-2\"}",
                ErrorCode.INVALID_SEQ,
                "no seq");
    }

    @Test
    void anEditIsCheckedRoomFirstThenSeqThenText() {
        assertRefused(
                "{\"type\":\"edit\",\"room\":\"No\",\"seq\":0,\"text\":\"\",\"id\":\"h-2\"}",
                ErrorCode.INVALID_ROOM,
                "all bad");
        assertRefused(
                "{\"type\":\"edit\",\"room\":\"general\",\"seq\":0,\"text\":\"\",\"id\":\"h-2\"}",
                ErrorCode.INVALID_SEQ,
                "no seq");
        assertRefused(
                "{\"type\":\"edit\",\"room\":\"general\",\"seq\":1,\"text\":\"\",\"id\":\"h-2\"}",
                ErrorCode.INVALID_TEXT,
                "text bad");
    }

    @Test
    void aHistoryFrameCarriesItsBeforeAndLimitWithTheirDefaults() throws RejectedFrameException {
        assertThat(
                        decoder.decode(
                                "{\"type\":\"history\",\"room\":\"general\",\"before\":120,\"limit\":50,\"id\":\"h-1\"}"))
                .isEqualTo(
                        new ClientCommand.History(
                                "general", OptionalLong.of(120), 50, Optional.of("h-1")));
        assertThat(decoder.decode("{\"type\":\"history\",\"room\":\"general\"}"))
                .as("the latest page, of the default size")
                .isEqualTo(
                        new ClientCommand.History(
                                "general",
                                OptionalLong.empty(),
                                CommandDecoder.DEFAULT_PAGE_LIMIT,
                                Optional.empty()));
        assertThat(history("\"before\":null,\"limit\":null"))
                .as("null counts as absent")
                .isEqualTo(
                        new ClientCommand.History(
                                "general",
                                OptionalLong.empty(),
                                CommandDecoder.DEFAULT_PAGE_LIMIT,
                                Optional.of("h-2")));
        assertThat(history("\"before\":1,\"limit\":1"))
                .isEqualTo(
                        new ClientCommand.History(
                                "general", OptionalLong.of(1), 1, Optional.of("h-2")));
        assertThat(history("\"before\":" + Long.MAX_VALUE + ",\"limit\":" + PAGE_MAX))
                .isEqualTo(
                        new ClientCommand.History(
                                "general",
                                OptionalLong.of(Long.MAX_VALUE),
                                PAGE_MAX,
                                Optional.of("h-2")));
    }

    @Test
    void theDefaultLimitIsNeverAbovePageMax() throws RejectedFrameException {
        CommandDecoder smallPages = new CommandDecoder(MAX_TEXT_LENGTH, MAX_DEPTH, 20);

        assertThat(smallPages.decode("{\"type\":\"history\",\"room\":\"general\"}"))
                .isEqualTo(
                        new ClientCommand.History(
                                "general", OptionalLong.empty(), 20, Optional.empty()));
    }

    @Test
    void aBeforeThatIsNotAPositiveIntegerIsRefusedWithItsRef() {
        for (String before :
                List.of(
                        "0",
                        "-1",
                        String.valueOf(Long.MIN_VALUE),
                        "9223372036854775808",
                        "1e3",
                        "12.0",
                        "\"12\"",
                        "true",
                        "[12]",
                        "{\"seq\":12}")) {
            assertRefused(historyFrame("\"before\":" + before), ErrorCode.INVALID_BEFORE, before);
        }
    }

    @Test
    void aLimitOutsideOneToPageMaxIsRefusedWithItsRef() {
        for (String limit :
                List.of(
                        "0",
                        "-1",
                        String.valueOf(PAGE_MAX + 1),
                        String.valueOf(Long.MAX_VALUE),
                        "99999999999999999999",
                        "5.5",
                        "\"5\"",
                        "false",
                        "[5]")) {
            assertRefused(
                    historyFrame("\"before\":10,\"limit\":" + limit),
                    ErrorCode.INVALID_LIMIT,
                    limit);
        }
    }

    @Test
    void aHistoryFrameIsCheckedRoomFirstThenBeforeThenLimit() {
        assertRefused(
                "{\"type\":\"history\",\"room\":\"No\",\"before\":0,\"limit\":0,\"id\":\"h-2\"}",
                ErrorCode.INVALID_ROOM,
                "a bad room, before and limit");
        assertRefused(
                "{\"type\":\"history\",\"before\":0,\"limit\":0,\"id\":\"h-2\"}",
                ErrorCode.INVALID_ROOM,
                "no room");
        assertRefused(historyFrame("\"limit\":0,\"before\":0"), ErrorCode.INVALID_BEFORE, "both");
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

    private ClientCommand history(String fields) throws RejectedFrameException {
        return decoder.decode(historyFrame(fields));
    }

    private static String historyFrame(String fields) {
        return "{\"type\":\"history\",\"room\":\"general\"," + fields + ",\"id\":\"h-2\"}";
    }

    /** The frame is refused with that code, and the ref of its id. */
    private void assertRefused(String frame, ErrorCode code, String description) {
        assertThatThrownBy(() -> decoder.decode(frame))
                .as(description)
                .isInstanceOfSatisfying(
                        RejectedFrameException.class,
                        rejected -> {
                            assertThat(rejected.code()).isEqualTo(code);
                            assertThat(rejected.ref()).contains("h-2");
                        });
    }

    private static String refresh(String tokenJson) {
        return "{\"type\":\"refresh\",\"token\":" + tokenJson + ",\"id\":\"r2\"}";
    }

    private static String send(String text) {
        return "{\"type\":\"send\",\"room\":\"a\",\"text\":\"" + text + "\"}";
    }
}

package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.ModerationCommand;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The moderation commands between instances, alone: each reads back as written, by others only. */
class RedisModerationFormatTest {

    private static final Ban BAN =
            new Ban(
                    "ann \"the\" admin",
                    Optional.of("den"),
                    Optional.of(Instant.parse("2026-12-01T00:00:00.123Z")),
                    "spam { \"json\": true }",
                    "ops bot",
                    Instant.parse("2026-11-30T00:00:00.456Z"));

    @Test
    void everyCommandReadsBackAsWrittenOnAnotherInstance() {
        for (ModerationCommand command :
                List.of(
                        new ModerationCommand.Disconnect("ann smith"),
                        new ModerationCommand.Kick("ann", "den"),
                        new ModerationCommand.Banned(BAN),
                        new ModerationCommand.Banned(
                                new Ban(
                                        "ben",
                                        Optional.empty(),
                                        Optional.empty(),
                                        "r",
                                        "ops",
                                        BAN.at())),
                        new ModerationCommand.Lifted("ann", Optional.of("den")),
                        new ModerationCommand.Lifted("ann", Optional.empty()))) {
            String payload = RedisModerationFormat.command("a1", command);

            assertThat(RedisModerationFormat.isCommand(payload)).isTrue();
            assertThat(RedisModerationFormat.parse(payload, "b2")).contains(command);
            assertThat(RedisModerationFormat.parse(payload, "a1")).as("its own").isEmpty();
        }
    }

    @Test
    void roomEventsAndGarbageAreNoCommands() {
        assertThat(RedisModerationFormat.isCommand("M den 1a 3 {}")).isFalse();
        assertThat(
                        RedisEventFormat.parse(
                                RedisModerationFormat.command(
                                        "a1", new ModerationCommand.Kick("a", "b"))))
                .isEmpty();
        for (String garbage :
                List.of(
                        "X",
                        "X a1",
                        "X a1 ",
                        "X a1 not json",
                        "X a1 []",
                        "X a1 {\"type\":\"kick\"}",
                        "X a1 {\"type\":\"banned\",\"ban\":{\"user\":\"a\"}}",
                        "X a1 {\"type\":\"nuke\"}")) {
            assertThat(RedisModerationFormat.parse(garbage, "b2")).as(garbage).isEmpty();
        }
    }
}

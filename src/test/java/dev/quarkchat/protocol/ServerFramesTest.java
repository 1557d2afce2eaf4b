package dev.quarkchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

class ServerFramesTest {

    @Test
    void textIsForwardedExactlyAsGivenWhateverItContains() {
        String text =
                "quote \" backslash \\ newline \n tab \t nul \u0000 emoji \uD83D\uDE00 <b>html</b>";

        JsonObject message =
                new JsonObject(
                        ServerFrames.message("r", 7, "ann", text, Instant.EPOCH, Optional.of("i")));

        assertThat(message.getString("text")).isEqualTo(text);
        assertThat(message.getLong("seq")).isEqualTo(7L);
        assertThat(message.getString("id")).isEqualTo("i");
    }

    @Test
    void welcomeGivesTheTypingPaceInSecondsWithoutExponentOrTrailingZeros() {
        assertThat(ServerFrames.welcome("ann", 4000, 900, Duration.ofSeconds(2)))
                .isEqualTo(
                        "{\"type\":\"welcome\",\"user\":\"ann\",\"maxTextLength\":4000,"
                                + "\"editWindow\":900,\"typingInterval\":2,\"typingTimeout\":6}");
        JsonObject fast = new JsonObject(ServerFrames.welcome("ann", 1, 0, Duration.ofMillis(500)));
        assertThat(fast.getValue("typingInterval")).isEqualTo(0.5);
        assertThat(fast.getValue("typingTimeout")).isEqualTo(1.5);
        JsonObject slow = new JsonObject(ServerFrames.welcome("ann", 1, 0, Duration.ofSeconds(60)));
        assertThat(ServerFrames.welcome("ann", 1, 0, Duration.ofSeconds(60))).contains(":180}");
        assertThat(slow.getInteger("typingTimeout")).isEqualTo(180);
    }

    @Test
    void timestampsAlwaysCarryMilliseconds() {
        JsonObject message =
                new JsonObject(
                        ServerFrames.message(
                                "r",
                                1,
                                "ann",
                                "x",
                                Instant.parse("2026-11-25T10:00:00Z"),
                                Optional.empty()));

        assertThat(message.getString("ts")).isEqualTo("2026-11-25T10:00:00.000Z");
        assertThat(message.containsKey("id")).isFalse();
    }

    @Test
    void onlyAServiceMessageCarriesTheServiceMarkAndItsSeqSlotKeepsIt() {
        JsonObject member =
                new JsonObject(
                        ServerFrames.message("r", 1, "ann", "x", Instant.EPOCH, Optional.empty()));
        assertThat(member.containsKey("service")).isFalse();

        String service =
                ServerFrames.message("r", 12, "bot", "x", Instant.EPOCH, Optional.of("k"), true);
        assertThat(new JsonObject(service).getBoolean("service")).isTrue();
        ServerFrames.SeqSlot slot =
                ServerFrames.messageAroundSeq(
                        "r", "bot", "x", Instant.EPOCH, Optional.of("k"), true);
        assertThat(slot.before() + 12 + slot.after()).isEqualTo(service);
    }

    @Test
    void joinedListsMembersAndErrorsCarryTheirRef() {
        JsonObject joined =
                new JsonObject(
                        ServerFrames.joined(
                                "r", List.of("a", "b"), 5, "e1", 7, true, Optional.empty()));
        assertThat(joined.getJsonArray("members")).containsExactly("a", "b");
        assertThat(joined.getInteger("memberCount")).isEqualTo(5);
        assertThat(joined.getString("epoch")).isEqualTo("e1");
        assertThat(joined.getLong("seq")).isEqualTo(7L);
        assertThat(joined.getBoolean("recovered")).isTrue();
        JsonObject error =
                new JsonObject(
                        ServerFrames.error(ErrorCode.NOT_JOINED, "join first", Optional.of("x-1")));
        assertThat(error.getString("code")).isEqualTo("not_joined");
        assertThat(error.getString("ref")).isEqualTo("x-1");
    }

    @Test
    void aHistoryPageEmbedsTheStoredMessageFramesAsTheyAreOldestFirst() {
        String first =
                ServerFrames.message(
                        "r", 81, "ann", "quote \" and \u2028", Instant.EPOCH, Optional.of("a-1"));
        String second =
                ServerFrames.message("r", 82, "ben", "<b>hi</b>", Instant.EPOCH, Optional.empty());

        String page =
                ServerFrames.history(
                        "r", "e1", List.of(first, second), 81, true, Optional.of("h-1"));

        assertThat(page)
                .isEqualTo(
                        "{\"type\":\"history\",\"room\":\"r\",\"epoch\":\"e1\",\"messages\":["
                                + first
                                + ","
                                + second
                                + "],\"firstSeq\":81,\"more\":true,\"id\":\"h-1\"}");
        JsonObject history = new JsonObject(page);
        assertThat(history.getJsonArray("messages").getJsonObject(0))
                .isEqualTo(new JsonObject(first));
        assertThat(history.getJsonArray("messages").getJsonObject(1))
                .isEqualTo(new JsonObject(second));
    }

    @Test
    void anEmptyHistoryPageHasAnEmptyListAndNoIdWithoutOne() {
        JsonObject history =
                new JsonObject(
                        ServerFrames.history("r", "e1", List.of(), 1, false, Optional.empty()));

        assertThat(history.getString("type")).isEqualTo("history");
        assertThat(history.getJsonArray("messages")).isEmpty();
        assertThat(history.getLong("firstSeq")).isEqualTo(1L);
        assertThat(history.getBoolean("more")).isFalse();
        assertThat(history.containsKey("id")).isFalse();
    }

    @Test
    void theTokenFramesCarryTheirExpiryInEpochSecondsAndARemovalItsReason() {
        JsonObject refreshed =
                new JsonObject(
                        ServerFrames.refreshed(
                                Instant.ofEpochSecond(1_900_000_000L), Optional.of("r-1")));
        assertThat(refreshed.getString("type")).isEqualTo("refreshed");
        assertThat(refreshed.getLong("exp")).isEqualTo(1_900_000_000L);
        assertThat(refreshed.getString("id")).isEqualTo("r-1");

        JsonObject expiring = new JsonObject(ServerFrames.expiring(42));
        assertThat(expiring.getString("type")).isEqualTo("expiring");
        assertThat(expiring.getLong("in")).isEqualTo(42L);

        JsonObject removed =
                new JsonObject(
                        ServerFrames.removed(
                                "private-ops", ServerFrames.LeaveReason.ACCESS_REVOKED));
        assertThat(removed.getString("type")).isEqualTo("left");
        assertThat(removed.getString("room")).isEqualTo("private-ops");
        assertThat(removed.getString("reason")).isEqualTo("access_revoked");
        assertThat(removed.containsKey("id")).isFalse();
    }
}

package dev.quarkchat.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.StoredMessage;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules of edits and deletions alone, over stored frames. */
class MessageAmendmentsTest {

    private static final String ROOM = "den";
    private static final Instant POSTED = Instant.parse("2026-11-25T10:00:00.123Z");
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Instant WITHIN = POSTED.plus(WINDOW);
    private static final Instant PAST = WITHIN.plusMillis(1);
    private static final String STORED =
            ServerFrames.message(ROOM, 4, "ann", "helo", POSTED, Optional.of("c-1"));

    @Test
    void theAuthorEditsWithinTheWindowAndTheMessageKeepsItsPlace() {
        Amendment.Verdict verdict = edit("ann", WITHIN).decide().apply(STORED);

        Amendment.Rewrite rewrite = (Amendment.Rewrite) verdict;
        StoredMessage rewritten = StoredMessage.read(rewrite.message()).orElseThrow();
        assertThat(rewritten.text()).contains("hello");
        assertThat(rewritten.editedAt()).contains(WITHIN);
        assertThat(rewritten.seq()).isEqualTo(4);
        assertThat(rewritten.ts()).isEqualTo(POSTED);
        assertThat(rewritten.id()).contains("c-1");
        assertThat(rewrite.erasesEdits()).isFalse();
        assertThat(rewrite.event().before() + 9 + rewrite.event().after())
                .isEqualTo(
                        "{\"type\":\"edited\",\"room\":\"den\",\"seq\":4,\"at\":9,"
                                + "\"text\":\"hello\",\"editedAt\":\"2026-11-25T10:15:00.123Z\"}");
    }

    @Test
    void othersLateComersAndDeletedMessagesAreRefused() {
        assertThat(edit("ben", WITHIN).decide().apply(STORED)).isEqualTo(refused("NOT_YOURS"));
        assertThat(edit("ann", PAST).decide().apply(STORED)).isEqualTo(refused("WINDOW_CLOSED"));
        assertThat(delete(Optional.of("ben"), WITHIN).decide().apply(STORED))
                .isEqualTo(refused("NOT_YOURS"));
        assertThat(delete(Optional.of("ann"), PAST).decide().apply(STORED))
                .isEqualTo(refused("WINDOW_CLOSED"));
        String tombstone = ServerFrames.deletedMessage(ROOM, 4, "ann", POSTED);
        assertThat(edit("ann", WITHIN).decide().apply(tombstone)).isEqualTo(refused("DELETED"));
        assertThat(delete(Optional.empty(), WITHIN).decide().apply(tombstone))
                .isEqualTo(refused("DELETED"));
    }

    @Test
    void anEventOrAnotherMessageAtThatPositionIsUnknown() {
        assertThat(edit("ann", WITHIN).decide().apply(ServerFrames.deleted(ROOM, 2, 4)))
                .isEqualTo(refused("UNKNOWN_MESSAGE"));
        String elsewhere = ServerFrames.message("other", 4, "ann", "x", POSTED, Optional.empty());
        assertThat(edit("ann", WITHIN).decide().apply(elsewhere))
                .isEqualTo(refused("UNKNOWN_MESSAGE"));
        assertThat(edit("ann", WITHIN).decide().apply("not json"))
                .isEqualTo(refused("UNKNOWN_MESSAGE"));
    }

    @Test
    void aModeratorDeletesAnyMessageAtAnyAgeAndItsTextGoes() {
        Amendment.Verdict verdict =
                delete(Optional.empty(), PAST.plus(Duration.ofDays(30))).decide().apply(STORED);

        Amendment.Rewrite rewrite = (Amendment.Rewrite) verdict;
        assertThat(rewrite.message()).doesNotContain("helo");
        StoredMessage tombstone = StoredMessage.read(rewrite.message()).orElseThrow();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.text()).isEmpty();
        assertThat(rewrite.erasesEdits()).isTrue();
        assertThat(rewrite.event().before() + 9 + rewrite.event().after())
                .isEqualTo(ServerFrames.deleted(ROOM, 4, 9));
    }

    @Test
    void anErasedEditBecomesADeletionAtItsPosition() {
        ServerFrames.SeqSlot edit = ServerFrames.editedAroundAt(ROOM, 4, "secret", WITHIN);
        String frame = edit.before() + 12 + edit.after();

        assertThat(ServerFrames.erasedEdit(frame, ROOM, 4))
                .contains(ServerFrames.deleted(ROOM, 4, 12));
        assertThat(ServerFrames.erasedEdit(frame, ROOM, 40)).isEmpty();
        assertThat(ServerFrames.erasedEdit(STORED, ROOM, 4)).isEmpty();
    }

    @Test
    void aReactionIsKeptWithTheMessageAndItsEventTellsWhoAndWhat() {
        Amendment.Rewrite added =
                (Amendment.Rewrite)
                        MessageAmendments.react(ROOM, 4, "ben", "👍", true).decide().apply(STORED);
        StoredMessage kept = StoredMessage.read(added.message()).orElseThrow();

        assertThat(kept.reactions()).containsExactly(Map.entry("👍", List.of("ben")));
        assertThat(kept.text()).isEqualTo(StoredMessage.read(STORED).orElseThrow().text());
        assertThat(added.event().before() + 9 + added.event().after())
                .isEqualTo(
                        "{\"type\":\"reaction\",\"room\":\"den\",\"seq\":4,\"at\":9,"
                                + "\"emoji\":\"👍\",\"user\":\"ben\",\"on\":true}");
        assertThat(added.reaction()).contains(new Amendment.Reaction("ben", "👍", true));

        assertThat(
                        MessageAmendments.react(ROOM, 4, "ben", "👍", true)
                                .decide()
                                .apply(added.message()))
                .as("twice")
                .isEqualTo(refused("UNCHANGED"));
        assertThat(
                        MessageAmendments.react(ROOM, 4, "cat", "👍", false)
                                .decide()
                                .apply(added.message()))
                .as("never there")
                .isEqualTo(refused("UNCHANGED"));
        Amendment.Rewrite taken =
                (Amendment.Rewrite)
                        MessageAmendments.react(ROOM, 4, "ben", "👍", false)
                                .decide()
                                .apply(added.message());
        assertThat(StoredMessage.read(taken.message()).orElseThrow().reactions()).isEmpty();
        assertThat(taken.message()).isEqualTo(STORED);
    }

    @Test
    void reactionsStopAtTheirBoundsAndNeverReachADeletedMessage() {
        String message = STORED;
        for (int n = 0; n < MessageAmendments.MAX_EMOJI_PER_MESSAGE; n++) {
            String emoji = new String(Character.toChars(0x1F600 + n));
            String user = n < MessageAmendments.MAX_EMOJI_PER_USER ? "ben" : "cat";
            message =
                    ((Amendment.Rewrite)
                                    MessageAmendments.react(ROOM, 4, user, emoji, true)
                                            .decide()
                                            .apply(message))
                            .message();
        }
        String full = message;
        assertThat(MessageAmendments.react(ROOM, 4, "dan", "🚀", true).decide().apply(full))
                .as("one emoji more than a message carries")
                .isEqualTo(refused("TOO_MANY_REACTIONS"));
        assertThat(MessageAmendments.react(ROOM, 4, "ben", "😀", false).decide().apply(full))
                .isInstanceOf(Amendment.Rewrite.class);
        assertThat(
                        MessageAmendments.react(
                                        ROOM,
                                        4,
                                        "ben",
                                        new String(Character.toChars(0x1F60A)),
                                        true)
                                .decide()
                                .apply(full))
                .as("ben already has as many as one user may")
                .isEqualTo(refused("TOO_MANY_REACTIONS"));
        assertThat(
                        MessageAmendments.react(ROOM, 2, "ann", "👍", true)
                                .decide()
                                .apply(ServerFrames.deletedMessage(ROOM, 2, "ann", POSTED)))
                .isEqualTo(refused("DELETED"));
    }

    private static Amendment edit(String user, Instant now) {
        return MessageAmendments.edit(ROOM, 4, user, "hello", now, WINDOW);
    }

    private static Amendment delete(Optional<String> user, Instant now) {
        return MessageAmendments.delete(ROOM, 4, user, now, WINDOW);
    }

    private static Amendment.Verdict refused(String reason) {
        return new Amendment.Refused(Amendment.Refusal.valueOf(reason));
    }
}

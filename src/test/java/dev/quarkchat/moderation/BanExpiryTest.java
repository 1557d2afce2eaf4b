package dev.quarkchat.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.MemoryBanStore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a ban applies, alone: up to its end and not at it, in this instance's copy and in the memory
 * store, which deletes it after; a reload does not undo a change made while it read.
 */
class BanExpiryTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aBanAppliesUntilItsEndAndNotAtIt() {
        Ban ban = ban("ann", Optional.empty(), Optional.of(NOW.plusSeconds(60)));

        assertThat(ban.appliesAt(NOW)).isTrue();
        assertThat(ban.appliesAt(NOW.plusSeconds(60).minusNanos(1))).isTrue();
        assertThat(ban.appliesAt(NOW.plusSeconds(60))).isFalse();
        assertThat(ban.appliesAt(NOW.plusSeconds(61))).isFalse();
    }

    @Test
    void aBanWithoutAnEndAppliesUntilLifted() {
        Ban ban = ban("ann", Optional.empty(), Optional.empty());

        assertThat(ban.appliesAt(Instant.parse("9999-12-31T23:59:59Z"))).isTrue();
    }

    @Test
    void theCopyAnswersByScopeAndStopsAtTheEnd() {
        Bans bans = new Bans();
        bans.put(ban("ann", Optional.empty(), Optional.of(NOW.plusSeconds(10))));
        bans.put(ban("ben", Optional.of("den"), Optional.empty()));

        assertThat(bans.bannedFromChat("ann", NOW)).isTrue();
        assertThat(bans.bannedFromChat("ann", NOW.plusSeconds(10))).isFalse();
        assertThat(bans.bannedFrom("ann", "den", NOW)).as("a global ban is no room ban").isFalse();
        assertThat(bans.bannedFrom("ben", "den", NOW)).isTrue();
        assertThat(bans.bannedFrom("ben", "loft", NOW)).isFalse();
        assertThat(bans.bannedFromChat("ben", NOW)).isFalse();

        bans.lift("ben", Optional.empty());
        assertThat(bans.bannedFrom("ben", "den", NOW)).isFalse();
    }

    @Test
    void aReloadReadBeforeAChangeIsDroppedAndOneAfterItReplacesTheCopy() {
        Bans bans = new Bans();
        Ban kept = ban("ann", Optional.empty(), Optional.empty());
        bans.put(kept);
        long before = bans.changes();
        Ban placedMeanwhile = ban("ben", Optional.empty(), Optional.empty());
        bans.put(placedMeanwhile);

        assertThat(bans.replace(List.of(kept), before)).isEmpty();
        assertThat(bans.bannedFromChat("ben", NOW)).isTrue();

        Ban fromAnotherInstance = ban("cat", Optional.of("den"), Optional.empty());
        assertThat(bans.replace(List.of(kept, fromAnotherInstance), bans.changes()))
                .containsExactly(fromAnotherInstance);
        assertThat(bans.bannedFromChat("ben", NOW)).as("lifted elsewhere").isFalse();
        assertThat(bans.bannedFrom("cat", "den", NOW)).isTrue();
    }

    @Test
    void theMemoryStoreDeletesEndedBansAndLiftsOnlyWhatStillApplied() {
        MemoryBanStore store = new MemoryBanStore();
        store.put(ban("ann", Optional.empty(), Optional.of(NOW.plusSeconds(1))));
        store.put(ban("ann", Optional.of("den"), Optional.empty()));
        store.put(ban("ben", Optional.of("den"), Optional.of(NOW.plus(Duration.ofDays(1)))));

        assertThat(store.active(NOW).toCompletableFuture().join()).hasSize(3);
        assertThat(store.active(NOW.plusSeconds(1)).toCompletableFuture().join())
                .extracting(Ban::user, ban -> ban.room().orElse("*"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("ann", "den"),
                        org.assertj.core.groups.Tuple.tuple("ben", "den"));
        assertThat(store.lift("ann", Optional.empty(), NOW).toCompletableFuture().join())
                .extracting(Ban::room)
                .containsExactly(Optional.of("den"));
        assertThat(
                        store.lift("ben", Optional.of("den"), NOW.plus(Duration.ofDays(2)))
                                .toCompletableFuture()
                                .join())
                .as("ended already: nothing lifted")
                .isEmpty();
        assertThat(store.active(NOW).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void reasonsAreCheckedForWhatAStoreAndALogLineCanHold() {
        assertThat(Moderation.reasonFault("spam, twice")).isEmpty();
        assertThat(Moderation.reasonFault("é".repeat(Moderation.MAX_REASON_LENGTH))).isEmpty();
        assertThat(Moderation.reasonFault("😀".repeat(Moderation.MAX_REASON_LENGTH)))
                .as("counted in code points")
                .isEmpty();
        assertThat(Moderation.reasonFault("x".repeat(Moderation.MAX_REASON_LENGTH + 1)))
                .isPresent();
        assertThat(Moderation.reasonFault(" \t")).isPresent();
        assertThat(Moderation.reasonFault("a\u0000b")).isPresent();
        assertThat(Moderation.reasonFault("half \uDE00")).isPresent();
    }

    private static Ban ban(String user, Optional<String> room, Optional<Instant> until) {
        return new Ban(user, room, until, "because", "ops", NOW.minusSeconds(60));
    }
}

package dev.quarkchat.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The window of a room's last messages: what a returning client can recover, and what a newcomer
 * sees.
 */
class RoomHistoryTest {

    @Test
    void everythingAfterAPositionStillHeldIsRecovered() {
        RoomHistory<String> history = filled(5, 3);

        assertThat(history.after(3, 3)).hasValueSatisfying(missed -> assertThat(missed).isEmpty());
        assertThat(history.after(1, 3))
                .hasValueSatisfying(missed -> assertThat(missed).containsExactly("m2", "m3"));
        assertThat(history.after(0, 3))
                .hasValueSatisfying(missed -> assertThat(missed).containsExactly("m1", "m2", "m3"));
    }

    @Test
    void aPositionWhoseNextMessageWasForgottenOrThatIsAheadCannotBeRecovered() {
        RoomHistory<String> history = filled(3, 10);

        assertThat(history.after(7, 10))
                .hasValueSatisfying(
                        missed -> assertThat(missed).containsExactly("m8", "m9", "m10"));
        assertThat(history.after(6, 10)).as("m7 was forgotten").isEmpty();
        assertThat(history.after(11, 10)).as("ahead of the room").isEmpty();
    }

    @Test
    void anEmptyWindowRecoversOnlyTheLatestPosition() {
        RoomHistory<String> history = filled(0, 4);

        assertThat(history.after(4, 4)).hasValueSatisfying(missed -> assertThat(missed).isEmpty());
        assertThat(history.after(3, 4)).isEmpty();
        assertThat(history.latest(20)).isEmpty();
    }

    @Test
    void theLatestAreGivenOldestFirst() {
        RoomHistory<String> history = filled(5, 8);

        assertThat(history.latest(2)).containsExactly("m7", "m8");
        assertThat(history.latest(20)).containsExactly("m4", "m5", "m6", "m7", "m8");
        assertThat(history.latest(0)).isEmpty();
    }

    @Test
    void countingLooksOnlyBetweenTheTwoPositionsAtWhatIsStillHeld() {
        RoomHistory<String> history = filled(5, 10);

        assertThat(history.count(0, 10, frame -> true)).as("m6 to m10 are held").isEqualTo(5);
        assertThat(history.count(7, 9, frame -> true)).isEqualTo(2);
        assertThat(history.count(0, 10, frame -> frame.endsWith("0"))).isEqualTo(1);
        assertThat(history.count(10, 10, frame -> true)).isZero();
    }

    private static RoomHistory<String> filled(int capacity, int messages) {
        RoomHistory<String> history = new RoomHistory<>(capacity);
        for (int seq = 1; seq <= messages; seq++) {
            history.keep(seq, "m" + seq);
        }
        return history;
    }
}

package dev.quarkchat.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A user is counted exactly while it has something left. */
class CountsByUserTest {

    @Test
    void aUserIsForgottenWhenItsCountReachesZero() {
        CountsByUser counts = new CountsByUser();

        assertThat(counts.increment("ann")).isEqualTo(1);
        assertThat(counts.increment("ann")).isEqualTo(2);
        assertThat(counts.increment("bob")).isEqualTo(1);
        assertThat(counts.users()).containsExactlyInAnyOrder("ann", "bob");

        assertThat(counts.decrement("ann")).isEqualTo(1);
        assertThat(counts.decrement("ann")).isZero();
        assertThat(counts.count("ann")).isZero();
        assertThat(counts.users()).containsExactly("bob");
        assertThat(counts.size()).isEqualTo(1);
    }

    @Test
    void decrementingAUserWithoutACountChangesNothing() {
        CountsByUser counts = new CountsByUser();

        assertThat(counts.decrement("ann")).isZero();
        assertThat(counts.size()).isZero();
    }
}

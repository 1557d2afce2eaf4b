package dev.quarkchat.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.engine.Ban;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.postgres.OtherPostgresInstance;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.scheduling.PeriodicTasks;
import dev.quarkchat.testing.PostgresHistory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link ModerationTest} with the durable store, which keeps the bans in PostgreSQL: an instance
 * that starts later, with a store that has read nothing yet, finds them.
 */
@QuarkusTest
@TestProfile(PostgresHistory.class)
class DurableModerationTest extends ModerationTest {

    @Inject Instance<Pool> pools;

    @Inject HistoryConfig history;

    @Inject ChatMetrics metrics;

    @Inject PeriodicTasks tasks;

    @Test
    void bansAreKeptInPostgresForTheInstancesThatStartLater() {
        Ban global =
                done(
                        moderation.ban(
                                MODERATOR, "dr-ann", Optional.empty(), Optional.empty(), "kept"));
        Ban ofRoom =
                done(
                        moderation.ban(
                                MODERATOR,
                                "dr-ann",
                                Optional.of("dr-room"),
                                Optional.of(Instant.now().plus(Duration.ofDays(1))),
                                "kept too"));

        OtherPostgresInstance startedLater =
                new OtherPostgresInstance(pools, history, metrics, tasks);
        assertThat(result(startedLater.store().active(Instant.now()))).contains(global, ofRoom);

        assertThat(done(moderation.lift(MODERATOR, "dr-ann", Optional.empty())))
                .containsExactlyInAnyOrder(global, ofRoom);
        assertThat(result(startedLater.store().active(Instant.now())))
                .noneMatch(ban -> ban.user().equals("dr-ann"));
    }
}

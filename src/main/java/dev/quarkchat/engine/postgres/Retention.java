package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.protocol.LogSafe;
import dev.quarkchat.scheduling.PeriodicTasks;

import io.vertx.mutiny.sqlclient.Tuple;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Deletes what {@code chat.history.retention.*} no longer keeps, every {@code interval}, in
 * statements of at most {@code batch-size} messages, so that no delete holds a room's locks for
 * long. A room's retained messages stay one unbroken run: its {@code first_seq} moves up first, and
 * reads never look below it, then the rows below it go. Every instance runs the job; runs that meet
 * wait for each other's row locks and find less to do.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);

    /**
     * The oldest messages sent before {@code $1} (at most {@code $2}) are deleted, and each of
     * their rooms' {@code first_seq} moved past them.
     */
    private static final String EXPIRE_BY_AGE =
            """
            WITH expired AS (
                SELECT room, seq FROM chat_message WHERE sent_at < $1 ORDER BY sent_at LIMIT $2),
            floors AS (
                UPDATE chat_room r SET first_seq = GREATEST(r.first_seq, e.top + 1)
                FROM (SELECT room, max(seq) AS top FROM expired GROUP BY room) e
                WHERE r.room = e.room)
            DELETE FROM chat_message m USING expired e WHERE m.room = e.room AND m.seq = e.seq
            """;

    /** Rooms holding more than {@code $1} messages keep their latest {@code $1}. */
    private static final String CAP_ROOMS =
            "UPDATE chat_room SET first_seq = last_seq - $1 + 1 WHERE last_seq - first_seq + 1 > $1";

    /** Deletes up to {@code $1} messages below their room's {@code first_seq}. */
    private static final String DELETE_BELOW_FLOOR =
            """
            DELETE FROM chat_message m USING (
                SELECT below.room, below.seq FROM chat_room r
                CROSS JOIN LATERAL (
                    SELECT room, seq FROM chat_message
                    WHERE room = r.room AND seq < r.first_seq ORDER BY seq LIMIT $1) below
                LIMIT $1) d
            WHERE m.room = d.room AND m.seq = d.seq
            """;

    /** Rooms that hold no message and saw none since {@code $1} are forgotten. */
    private static final String FORGET_ROOMS =
            """
            DELETE FROM chat_room r WHERE r.active_at < $1
            AND NOT EXISTS (SELECT 1 FROM chat_message m WHERE m.room = r.room)
            """;

    private final PostgresStore store;
    private final HistoryConfig.Retention config;
    private final ChatMetrics metrics;
    private final PeriodicTasks tasks;
    private final AtomicBoolean running = new AtomicBoolean();

    Retention(
            PostgresStore store, HistoryConfig history, ChatMetrics metrics, PeriodicTasks tasks) {
        this.store = store;
        this.config = history.retention();
        this.metrics = metrics;
        this.tasks = tasks;
    }

    void start() {
        tasks.every(config.interval(), "history retention", this::run);
    }

    /**
     * One run: every step repeated until it finds less than a batch; a run still under way when the
     * next is due lets it pass.
     *
     * @return when the run is over, successful or not
     */
    CompletionStage<Void> run() {
        if (!store.isUp() || !running.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        Instant cutoff = Instant.now().minus(config.maxAge());
        Tuple byAge = Tuple.of(cutoff.atOffset(ZoneOffset.UTC), config.batchSize());
        return repeat(EXPIRE_BY_AGE, byAge)
                .thenCompose(done -> store.update(CAP_ROOMS, Tuple.of(config.maxMessages())))
                .thenCompose(done -> repeat(DELETE_BELOW_FLOOR, Tuple.of(config.batchSize())))
                .thenCompose(
                        done ->
                                store.update(
                                        FORGET_ROOMS, Tuple.of(cutoff.atOffset(ZoneOffset.UTC))))
                .handle(
                        (done, failure) -> {
                            running.set(false);
                            if (failure != null) {
                                LOG.debugf(
                                        "History retention will run again: %s",
                                        LogSafe.escaped(failure.toString()));
                            }
                            return null;
                        });
    }

    /** Runs a statement deleting messages until it deletes less than a batch. */
    private CompletionStage<Integer> repeat(String sql, Tuple arguments) {
        return store.update(sql, arguments)
                .thenCompose(
                        deleted -> {
                            metrics.messagesExpired(deleted);
                            return deleted < config.batchSize()
                                    ? CompletableFuture.completedFuture(deleted)
                                    : repeat(sql, arguments);
                        });
    }
}

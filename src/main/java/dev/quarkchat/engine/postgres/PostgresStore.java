package dev.quarkchat.engine.postgres;

import dev.quarkchat.engine.Amendment;
import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.engine.Epochs;
import dev.quarkchat.engine.HistoryConfig;
import dev.quarkchat.engine.HistoryPage;
import dev.quarkchat.engine.HistorySnapshot;
import dev.quarkchat.engine.Post;
import dev.quarkchat.engine.StreamPosition;
import dev.quarkchat.engine.Unread;
import dev.quarkchat.metrics.ChatMetrics;
import dev.quarkchat.metrics.LiveGauge;
import dev.quarkchat.metrics.StoreOperation;
import dev.quarkchat.protocol.ServerFrames;
import dev.quarkchat.protocol.StoredMessage;
import dev.quarkchat.scheduling.PeriodicTasks;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The statements of the PostgreSQL store (schema: {@code db/migration}), on the reactive client, so
 * that nothing waits on an event loop. A statement that fails for want of the database, or takes
 * longer than {@code chat.history.postgres.timeout}, fails with {@link EngineUnavailableException}
 * and marks the store down; a check every {@code chat.history.postgres.check-interval} marks it up
 * again.
 */
@ApplicationScoped
public class PostgresStore {

    private static final Logger LOG = Logger.getLogger(PostgresStore.class);

    private static final String APPEND = "SELECT * FROM chat_append($1, $2, $3, $4, $5, $6, $7)";

    /**
     * Where room {@code $1} stands, made with epoch {@code $2} if new, and its messages: the
     * position and the rows are read in one statement, so in one snapshot, and agree.
     */
    private static final String POSITION_AND =
            """
            WITH made AS (
                INSERT INTO chat_room (room, epoch) VALUES ($1, $2) ON CONFLICT (room) DO NOTHING
                RETURNING epoch, last_seq, first_seq),
            position AS (
                SELECT epoch, last_seq, first_seq FROM made
                UNION ALL
                SELECT epoch, last_seq, first_seq FROM chat_room WHERE room = $1)
            SELECT p.epoch, p.last_seq, p.first_seq, m.seq, m.sender, m.body, m.sent_at, m.client_id,
                   m.kind, m.target, m.edited_at, m.service, m.reactions::text AS reactions, m.reaction_on
            FROM position p
            """;

    /** With the messages after {@code $3}, at most {@code $4}, oldest first. */
    private static final String AFTER =
            POSITION_AND
                    + """
                    LEFT JOIN LATERAL (
                        SELECT seq, sender, body, sent_at, client_id, kind, target, edited_at, service,
                               reactions, reaction_on
                        FROM chat_message
                        WHERE room = $1 AND seq > $3 AND seq <= p.last_seq
                        ORDER BY seq LIMIT $4) m ON true
                    ORDER BY m.seq
                    """;

    /** With its latest {@code $3} messages, newest first. */
    private static final String LATEST =
            POSITION_AND
                    + """
                    LEFT JOIN LATERAL (
                        SELECT seq, sender, body, sent_at, client_id, kind, target, edited_at, service,
                               reactions, reaction_on
                        FROM chat_message
                        WHERE room = $1 AND seq >= p.first_seq AND seq <= p.last_seq
                        ORDER BY seq DESC LIMIT $3) m ON true
                    ORDER BY m.seq DESC
                    """;

    /** Up to {@code $3} messages below {@code $2}, newest first, with where the room stands. */
    private static final String PAGE =
            """
            SELECT p.epoch, p.last_seq, p.first_seq, m.seq, m.sender, m.body, m.sent_at, m.client_id,
                   m.kind, m.target, m.edited_at, m.service, m.reactions::text AS reactions, m.reaction_on
            FROM chat_room p
            LEFT JOIN LATERAL (
                SELECT seq, sender, body, sent_at, client_id, kind, target, edited_at, service,
                               reactions, reaction_on
                FROM chat_message
                WHERE room = $1 AND seq < $2 AND seq >= p.first_seq
                ORDER BY seq DESC LIMIT $3) m ON true
            WHERE p.room = $1
            ORDER BY m.seq DESC
            """;

    /** The room's epoch and what it holds at seq {@code $2}, if it is retained. */
    private static final String HELD =
            """
            SELECT p.epoch, m.seq, m.sender, m.body, m.sent_at, m.client_id,
                   m.kind, m.target, m.edited_at, m.service, m.reactions::text AS reactions, m.reaction_on
            FROM chat_room p
            LEFT JOIN chat_message m ON m.room = p.room AND m.seq = $2 AND m.seq >= p.first_seq
            WHERE p.room = $1
            """;

    private static final String AMEND = "SELECT chat_amend($1, $2, $3, $4, $5, $6, $7) AS at";

    private static final String REACT =
            "SELECT chat_react($1, $2, $3, $4, $5, $6, $7, $8, $9) AS at";

    /** Where room {@code $1} stands, if the store has it; never makes it. */
    private static final String POSITION = "SELECT epoch, last_seq FROM chat_room WHERE room = $1";

    /**
     * Messages of others, not deleted, of the room's epoch {@code $2} with {@code $3 < seq <= $4}
     * and still retained; and of those, the ones with a word that mentions {@code $5}, read as
     * {@link dev.quarkchat.protocol.Mentions} reads it.
     */
    private static final String UNREAD =
            """
            SELECT count(*) AS unread,
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM regexp_split_to_table(m.body, '[ \\t\\n\\r\\f\\v]+') AS word
                       WHERE left(word, 1) = '@' AND rtrim(substr(word, 2), '.,!?:;)') = $5)) AS mentions
            FROM chat_message m JOIN chat_room r ON r.room = m.room
            WHERE m.room = $1 AND r.epoch = $2 AND m.seq > $3 AND m.seq <= $4 AND m.seq >= r.first_seq
              AND m.kind = 'message' AND NOT m.deleted AND m.sender <> $5
            """;

    private static final int RETRIES_WHILE_MADE = 3;

    private final Instance<Pool> pools;
    private final HistoryConfig.Postgres config;
    private final ChatMetrics metrics;
    private final PeriodicTasks tasks;
    private Pool pool;
    private volatile boolean up;

    /** One row of an append: what became of one post. */
    record Appended(
            Post post,
            String epoch,
            long seq,
            boolean posted,
            Optional<Instant> earlierTs,
            Optional<String> earlierText) {}

    PostgresStore(
            Instance<Pool> pools, HistoryConfig history, ChatMetrics metrics, PeriodicTasks tasks) {
        this.pools = pools;
        this.config = history.postgres();
        this.metrics = metrics;
        this.tasks = tasks;
    }

    /**
     * Connects to the datasource (its schema migrated by SchemaMigration just before) and keeps
     * checking it.
     */
    synchronized void start() {
        if (pool != null) {
            return;
        }
        pool = pools.get();
        metrics.observe(LiveGauge.STORE_UP, () -> up ? 1 : 0);
        check();
        tasks.every(config.checkInterval(), "PostgreSQL store check", this::check);
    }

    /** Whether the database answered the last statement or check. */
    boolean isUp() {
        return up;
    }

    /**
     * Posts a batch in one statement, in order: each new message gets its room's next seq; a send
     * whose id its user already posted in the room comes back as that post.
     */
    CompletionStage<List<Appended>> append(List<Post> batch) {
        int size = batch.size();
        String[] rooms = new String[size];
        String[] senders = new String[size];
        String[] bodies = new String[size];
        OffsetDateTime[] sent = new OffsetDateTime[size];
        String[] clientIds = new String[size];
        String[] epochs = new String[size];
        Boolean[] services = new Boolean[size];
        for (int i = 0; i < size; i++) {
            Post post = batch.get(i);
            rooms[i] = post.room();
            senders[i] = post.from();
            bodies[i] = post.text();
            sent[i] = post.ts().atOffset(ZoneOffset.UTC);
            clientIds[i] = post.id().orElse(null);
            epochs[i] = Epochs.next();
            services[i] = post.service();
        }
        Tuple arguments =
                Tuple.tuple()
                        .addArrayOfString(rooms)
                        .addArrayOfString(senders)
                        .addArrayOfString(bodies)
                        .addArrayOfOffsetDateTime(sent)
                        .addArrayOfString(clientIds)
                        .addArrayOfString(epochs)
                        .addArrayOfBoolean(services);
        long started = System.nanoTime();
        return run(
                StoreOperation.APPEND,
                APPEND,
                arguments,
                rows -> {
                    List<Appended> appended = new ArrayList<>(size);
                    int i = 0;
                    int stored = 0;
                    for (Row row : rows) {
                        boolean posted = row.getBoolean("posted");
                        stored += posted ? 1 : 0;
                        appended.add(
                                new Appended(
                                        batch.get(i++),
                                        row.getString("room_epoch"),
                                        row.getLong("message_seq"),
                                        posted,
                                        posted
                                                ? Optional.empty()
                                                : Optional.of(
                                                        row.getOffsetDateTime("posted_at")
                                                                .toInstant()),
                                        Optional.ofNullable(row.getString("posted_body"))));
                    }
                    metrics.storeCommitted(size, stored, started);
                    return appended;
                });
    }

    /**
     * Where the room stands (made, with a new epoch, if the store has never seen it), with the
     * messages after {@code since} if it is in the room's epoch, all of them are held and there are
     * at most {@code most}; else the latest {@code latest}.
     */
    CompletionStage<HistorySnapshot> read(
            String room, Optional<StreamPosition> since, int latest, int most) {
        if (since.isEmpty()) {
            return latest(room, latest);
        }
        StreamPosition from = since.get();
        Tuple arguments = Tuple.of(room, Epochs.next(), from.seq(), most + 1);
        return run(StoreOperation.READ, AFTER, arguments, rows -> rows)
                .thenCompose(
                        rows -> {
                            Position position = Position.of(room, rows);
                            List<String> missed = position.frames(room, rows);
                            boolean recovered =
                                    from.epoch().equals(position.epoch())
                                            && from.seq() <= position.lastSeq()
                                            && from.seq() + 1 >= position.firstSeq()
                                            && missed.size() == position.lastSeq() - from.seq();
                            if (recovered) {
                                return Uni.createFrom()
                                        .item(
                                                new HistorySnapshot(
                                                        position.epoch(),
                                                        position.lastSeq(),
                                                        missed,
                                                        true))
                                        .subscribeAsCompletionStage();
                            }
                            return latest(room, latest);
                        });
    }

    /** Up to {@code limit} messages below {@code before}, oldest first. */
    CompletionStage<HistoryPage> page(String room, long before, int limit) {
        return run(
                StoreOperation.PAGE,
                PAGE,
                Tuple.of(room, before, limit),
                rows -> {
                    if (rows.size() == 0) {
                        return new HistoryPage("", 1, List.of(), false);
                    }
                    Position position = Position.of(room, rows);
                    List<String> page = position.frames(room, rows);
                    Collections.reverse(page);
                    long pageStart = Math.min(before, position.lastSeq() + 1) - page.size();
                    return new HistoryPage(
                            position.epoch(),
                            position.firstSeq(),
                            page,
                            pageStart > position.firstSeq());
                });
    }

    /** Runs a statement of another part of the store ({@link PostgresBanStore}). */
    <T> CompletionStage<T> query(
            StoreOperation operation,
            String sql,
            Tuple arguments,
            Function<RowSet<Row>, T> answer) {
        return run(operation, sql, arguments, answer);
    }

    /**
     * What a room holds at one seq, and its epoch; {@code held} empty if it holds nothing there.
     */
    record Held(
            String epoch,
            Optional<String> frame,
            Optional<String> body,
            Optional<OffsetDateTime> editedAt,
            Optional<String> reactions) {}

    /**
     * The room's epoch and its frame at {@code seq}; empty if the store has never seen the room.
     */
    CompletionStage<Optional<Held>> held(String room, long seq) {
        return run(
                StoreOperation.READ,
                HELD,
                Tuple.of(room, seq),
                rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    Optional<String> frame =
                            row.getLong("seq") == null
                                    ? Optional.empty()
                                    : Optional.of(frame(room, row));
                    return Optional.of(
                            new Held(
                                    row.getString("epoch"),
                                    frame,
                                    Optional.ofNullable(row.getString("body")),
                                    Optional.ofNullable(row.getOffsetDateTime("edited_at")),
                                    Optional.ofNullable(row.getString("reactions"))));
                });
    }

    /**
     * Rewrites message {@code seq} with {@code newBody} (empty: deleted) and appends the event,
     * unless it changed since {@code read}; see {@code chat_amend}.
     *
     * @return the event's seq, or empty if the message changed meanwhile
     */
    CompletionStage<Optional<Long>> amend(
            String room, long seq, Held read, Optional<String> newBody, Instant changedAt) {
        Tuple arguments =
                Tuple.tuple()
                        .addString(room)
                        .addString(read.epoch())
                        .addLong(seq)
                        .addString(read.body().orElse(null))
                        .addOffsetDateTime(read.editedAt().orElse(null))
                        .addString(newBody.orElse(null))
                        .addOffsetDateTime(changedAt.atOffset(ZoneOffset.UTC));
        return run(
                StoreOperation.APPEND,
                AMEND,
                arguments,
                rows -> Optional.ofNullable(rows.iterator().next().getLong("at")));
    }

    /**
     * Sets the reactions of message {@code seq} to {@code newReactions} (empty: none) and appends
     * the reaction event, unless they changed since {@code read}; see {@code chat_react}.
     *
     * @return the event's seq, or empty if the message changed meanwhile
     */
    CompletionStage<Optional<Long>> react(
            String room,
            long seq,
            Held read,
            Optional<String> newReactions,
            Amendment.Reaction reaction,
            Instant changedAt) {
        Tuple arguments =
                Tuple.tuple()
                        .addString(room)
                        .addString(read.epoch())
                        .addLong(seq)
                        .addString(read.reactions().orElse(null))
                        .addString(newReactions.orElse(null))
                        .addString(reaction.user())
                        .addString(reaction.emoji())
                        .addBoolean(reaction.on())
                        .addOffsetDateTime(changedAt.atOffset(ZoneOffset.UTC));
        return run(
                StoreOperation.APPEND,
                REACT,
                arguments,
                rows -> Optional.ofNullable(rows.iterator().next().getLong("at")));
    }

    /**
     * How many messages the reader has not read; see {@link dev.quarkchat.engine.Broker#unread}.
     */
    CompletionStage<Unread> unread(String room, StreamPosition read, long top, String reader) {
        return run(
                StoreOperation.READ,
                UNREAD,
                Tuple.of(room, read.epoch(), read.seq(), top, reader),
                rows -> {
                    Row row = rows.iterator().next();
                    return new Unread(row.getLong("unread"), row.getLong("mentions"));
                });
    }

    /** Where the room stands, if the store has it. */
    CompletionStage<Optional<StreamPosition>> position(String room) {
        return run(
                StoreOperation.READ,
                POSITION,
                Tuple.of(room),
                rows -> {
                    if (rows.size() == 0) {
                        return Optional.<StreamPosition>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(
                            new StreamPosition(row.getString("epoch"), row.getLong("last_seq")));
                });
    }

    /** Runs a statement that changes nothing the chat reads, for the retention job. */
    CompletionStage<Integer> update(String sql, Tuple arguments) {
        return run(StoreOperation.RETENTION, sql, arguments, RowSet::rowCount);
    }

    private CompletionStage<HistorySnapshot> latest(String room, int latest) {
        return run(
                StoreOperation.READ,
                LATEST,
                Tuple.of(room, Epochs.next(), latest),
                rows -> {
                    Position position = Position.of(room, rows);
                    List<String> frames = position.frames(room, rows);
                    Collections.reverse(frames);
                    return new HistorySnapshot(position.epoch(), position.lastSeq(), frames, false);
                });
    }

    /** The frame of a row of {@code chat_message}: a message as it stands now, or an event. */
    private static String frame(String room, Row row) {
        long seq = row.getLong("seq");
        String body = row.getString("body");
        return switch (row.getString("kind")) {
            case "edited" -> {
                ServerFrames.SeqSlot event =
                        ServerFrames.editedAroundAt(
                                room,
                                row.getLong("target"),
                                body,
                                row.getOffsetDateTime("edited_at").toInstant());
                yield event.before() + seq + event.after();
            }
            case "deleted" -> ServerFrames.deleted(room, row.getLong("target"), seq);
            case "reaction" -> {
                ServerFrames.SeqSlot event =
                        ServerFrames.reactionAroundAt(
                                room,
                                row.getLong("target"),
                                body,
                                row.getString("sender"),
                                row.getBoolean("reaction_on"));
                yield event.before() + seq + event.after();
            }
            default -> {
                String sender = row.getString("sender");
                Instant ts = row.getOffsetDateTime("sent_at").toInstant();
                OffsetDateTime editedAt = row.getOffsetDateTime("edited_at");
                Optional<String> id = Optional.ofNullable(row.getString("client_id"));
                if (body == null) {
                    yield ServerFrames.deletedMessage(room, seq, sender, ts);
                }
                boolean service = row.getBoolean("service");
                yield ServerFrames.storedMessage(
                        room,
                        seq,
                        sender,
                        body,
                        ts,
                        id,
                        service,
                        Optional.ofNullable(editedAt).map(OffsetDateTime::toInstant),
                        StoredMessage.reactionsOf(row.getString("reactions")));
            }
        };
    }

    /**
     * Runs a statement, failing with {@link EngineUnavailableException} when the store is down, the
     * statement fails or it times out.
     */
    private <T> CompletionStage<T> run(
            StoreOperation operation,
            String sql,
            Tuple arguments,
            Function<RowSet<Row>, T> answer) {
        if (!up) {
            return Uni.createFrom()
                    .<T>failure(new EngineUnavailableException("the PostgreSQL store is down"))
                    .subscribeAsCompletionStage();
        }
        return pool.preparedQuery(sql)
                .execute(arguments)
                .ifNoItem()
                .after(config.timeout())
                .failWith(
                        () ->
                                new EngineUnavailableException(
                                        "the PostgreSQL store did not answer in time"))
                .map(answer)
                .onFailure(RoomBeingMade.class)
                .retry()
                .atMost(RETRIES_WHILE_MADE)
                .onFailure()
                .transform(failure -> failed(operation, failure))
                .subscribeAsCompletionStage();
    }

    private Throwable failed(StoreOperation operation, Throwable failure) {
        metrics.storeFailed(operation);
        if (failure instanceof PgException refused) {
            // The database answered: it is up, and this statement is wrong. Never expected.
            LOG.errorf("PostgreSQL refused a %s statement: %s", operation.label(), refused);
            return new EngineUnavailableException("the PostgreSQL store refused the statement");
        }
        markDown(failure);
        return failure instanceof EngineUnavailableException
                ? failure
                : new EngineUnavailableException("the PostgreSQL store is unreachable");
    }

    private void check() {
        pool.query("SELECT 1")
                .execute()
                .ifNoItem()
                .after(config.timeout())
                .fail()
                .subscribe()
                .with(
                        ok -> {
                            if (!up) {
                                LOG.info("The PostgreSQL store is reachable");
                            }
                            up = true;
                        },
                        failure -> {
                            if (up) {
                                metrics.storeFailed(StoreOperation.CHECK);
                            }
                            markDown(failure);
                        });
    }

    private void markDown(Throwable cause) {
        if (up) {
            LOG.warnf("The PostgreSQL store is unreachable: %s", cause.toString());
        }
        up = false;
    }

    /**
     * Another instance made the room between a statement's snapshot and its insert, which then
     * found the room and read nothing: the statement is run again, and sees it.
     */
    private static final class RoomBeingMade extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RoomBeingMade(String room) {
            super("room " + room + " was being made", null, false, false);
        }
    }

    /** Where a room stood in a read, from the first row (every row repeats it). */
    private record Position(String epoch, long lastSeq, long firstSeq) {

        static Position of(String room, RowSet<Row> rows) {
            if (rows.size() == 0) {
                throw new RoomBeingMade(room);
            }
            Row first = rows.iterator().next();
            return new Position(
                    first.getString("epoch"),
                    first.getLong("last_seq"),
                    first.getLong("first_seq"));
        }

        /** The message frames of the rows, in the rows' order. */
        List<String> frames(String room, RowSet<Row> rows) {
            List<String> frames = new ArrayList<>(rows.size());
            for (Row row : rows) {
                if (row.getLong("seq") != null) {
                    frames.add(frame(room, row));
                }
            }
            return frames;
        }
    }
}

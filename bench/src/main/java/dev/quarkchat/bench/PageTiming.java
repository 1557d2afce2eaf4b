package dev.quarkchat.bench;

import dev.quarkchat.engine.postgres.PostgresStore;
import dev.quarkchat.protocol.ServerFrames;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import org.HdrHistogram.Histogram;
import org.flywaydb.core.Flyway;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * How long a page of a very long room takes with the PostgreSQL store. The room is filled directly
 * in SQL (the service's own migrations, then one {@code generate_series} insert of rows such as the
 * store writes). Then pages are read one at a time two ways: as a client does, with {@code history}
 * frames to the service, from the frame sent to the answer received; and the store's own page
 * statement alone, on the reactive client the store uses, each page turned into its message frames
 * as the store does. Pages start at random places in the room, and at its end (the first page a
 * client scrolls to back from the live view).
 */
final class PageTiming {

    private static final String DATABASE = "paging";
    private static final String ROOM = "paging";
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(1);
    private static final int DIGITS = 3;
    private static final double NANOS_PER_SECOND = 1e9;
    private static final String HISTORY_PREFIX = "{\"type\":\"history\"";
    private static final String JOINED_PREFIX = "{\"type\":\"joined\"";
    private static final String FIRST_MESSAGE = "\"messages\":[{";

    /** The latencies of one series of pages, in milliseconds. */
    record Latencies(long pages, double p50, double p99, double p999, double max) {

        static Latencies of(Histogram histogram) {
            return new Latencies(
                    histogram.getTotalCount(),
                    histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getValueAtPercentile(99.9) / 1000.0,
                    histogram.getMaxValue() / 1000.0);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%d pages, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                    pages,
                    p50,
                    p99,
                    p999,
                    max);
        }
    }

    /**
     * What the timing found, through the service ({@code history} frames) and of the statement
     * alone: pages from anywhere in the room, and its latest page.
     */
    record Result(
            int messages,
            int limit,
            double fillSeconds,
            Latencies framesAnywhere,
            Latencies framesLatest,
            Latencies statementAnywhere,
            Latencies statementLatest) {}

    /** Starts the service on a database of the run's PostgreSQL, given its reactive URL. */
    interface ServiceStarter {
        Server start(String url) throws Exception;
    }

    /** A page request: where it ends, one below {@code before}. */
    private interface PageReader {
        /**
         * Reads the page below {@code before}.
         *
         * @return whether it held a message
         */
        boolean read(long before) throws Exception;
    }

    private final Settings settings;
    private final int messages;
    private final SplittableRandom random = new SplittableRandom(1);

    private PageTiming(Settings settings) {
        this.settings = settings;
        this.messages = settings.pagingMessages;
    }

    /**
     * Fills the room, then times pages through the service (started by {@code service}, its client
     * holding the token {@code token}) and of the statement alone.
     */
    static Result run(Database database, Settings settings, ServiceStarter service, String token)
            throws Exception {
        return new PageTiming(settings).measure(database, service, token);
    }

    private Result measure(Database database, ServiceStarter service, String token)
            throws Exception {
        System.out.printf(
                "%n== Paging: %d-message pages from a room of %,d messages ==%n",
                settings.pageLimit, messages);
        String url = database.fresh(DATABASE);
        Flyway.configure()
                .dataSource(database.jdbcUrl(DATABASE), Database.USER, "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        long started = System.nanoTime();
        fill(database);
        double fillSeconds = (System.nanoTime() - started) / NANOS_PER_SECOND;
        System.out.printf("filled and analysed in %.1f s%n", fillSeconds);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            Latencies[] frames = throughService(vertx, service.start(url), token);
            System.out.printf(
                    "history frames, from anywhere: %s%nhistory frames, latest page:   %s%n",
                    frames[0], frames[1]);
            Latencies[] statement = statementAlone(vertx, database);
            System.out.printf(
                    "statement, from anywhere:      %s%nstatement, latest page:        %s%n",
                    statement[0], statement[1]);
            return new Result(
                    messages,
                    settings.pageLimit,
                    fillSeconds,
                    frames[0],
                    frames[1],
                    statement[0],
                    statement[1]);
        } finally {
            await(vertx.close());
        }
    }

    /**
     * One room of {@code messages} messages, as the store writes them: 100-character texts from 100
     * senders, each with its client id, 100 ms apart; then statistics and a checkpoint, as a
     * database that has been running a while would have.
     */
    private void fill(Database database) throws Exception {
        try (Connection connection = database.connect(DATABASE);
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "INSERT INTO chat_room (room, epoch, last_seq) VALUES ('"
                            + ROOM
                            + "', 'bench', "
                            + messages
                            + ")");
            statement.execute(
                    "INSERT INTO chat_message (room, seq, sender, body, sent_at, client_id)"
                            + " SELECT '"
                            + ROOM
                            + "', g, 'bench-' || (g % 100), rpad('message ' || g, 100, 'x'),"
                            + " timestamptz '2026-01-01 00:00:00+00' + g * interval '100 ms',"
                            + " 'c-' || g FROM generate_series(1, "
                            + messages
                            + ") AS g");
            statement.execute("VACUUM ANALYZE chat_room");
            statement.execute("VACUUM ANALYZE chat_message");
            statement.execute("CHECKPOINT");
        }
    }

    /** A member of the room asks for pages, one at a time, each as soon as the last one came. */
    private Latencies[] throughService(Vertx vertx, Server server, String token) throws Exception {
        try (server) {
            AtomicReference<CompletableFuture<String>> answer =
                    new AtomicReference<>(new CompletableFuture<>());
            WebSocket socket =
                    await(
                            vertx.createWebSocketClient(new WebSocketClientOptions())
                                    .connect(
                                            new WebSocketConnectOptions()
                                                    .setHost("127.0.0.1")
                                                    .setPort(server.port)
                                                    .setURI(server.kind.path)
                                                    .addHeader(
                                                            "Authorization", "Bearer " + token)));
            socket.textMessageHandler(
                    frame -> {
                        if (frame.startsWith(HISTORY_PREFIX) || frame.startsWith(JOINED_PREFIX)) {
                            answer.get().complete(frame);
                        } else if (frame.startsWith("{\"type\":\"error\"")) {
                            answer.get()
                                    .completeExceptionally(
                                            new IllegalStateException("Refused: " + frame));
                        }
                    });
            await(socket.writeTextMessage("{\"type\":\"join\",\"room\":\"" + ROOM + "\"}"));
            answer.get().get(1, TimeUnit.MINUTES);
            PageReader history =
                    before -> {
                        CompletableFuture<String> page = new CompletableFuture<>();
                        answer.set(page);
                        socket.writeTextMessage(
                                String.format(
                                        Locale.ROOT,
                                        "{\"type\":\"history\",\"room\":\"%s\",\"before\":%d,"
                                                + "\"limit\":%d}",
                                        ROOM,
                                        before,
                                        settings.pageLimit));
                        return page.get(1, TimeUnit.MINUTES).contains(FIRST_MESSAGE);
                    };
            Latencies[] latencies = timeBoth(history);
            await(socket.close());
            return latencies;
        }
    }

    /** The store's page statement on one connection of the store's client. */
    private Latencies[] statementAlone(Vertx vertx, Database database) throws Exception {
        PgConnection connection =
                await(
                        PgConnection.connect(
                                vertx,
                                new PgConnectOptions()
                                        .setHost("127.0.0.1")
                                        .setPort(database.port())
                                        .setDatabase(DATABASE)
                                        .setUser(Database.USER)
                                        .setCachePreparedStatements(true)));
        String page = pageStatement();
        PageReader statement =
                before -> {
                    RowSet<Row> rows =
                            await(
                                    connection
                                            .preparedQuery(page)
                                            .execute(Tuple.of(ROOM, before, settings.pageLimit)));
                    List<String> frames = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        frames.add(
                                ServerFrames.message(
                                        ROOM,
                                        row.getLong("seq"),
                                        row.getString("sender"),
                                        row.getString("body"),
                                        row.getOffsetDateTime("sent_at").toInstant(),
                                        Optional.ofNullable(row.getString("client_id"))));
                    }
                    return !frames.isEmpty();
                };
        Latencies[] latencies = timeBoth(statement);
        await(connection.close());
        return latencies;
    }

    /**
     * A warm-up of {@code --paging-pages} pages, then as many from anywhere (every {@code before}
     * from 2, one message below it, to the end) and as many of the latest page.
     */
    private Latencies[] timeBoth(PageReader reader) throws Exception {
        LongSupplier anywhere = () -> 2 + random.nextLong(messages);
        time(reader, anywhere);
        return new Latencies[] {time(reader, anywhere), time(reader, () -> messages + 1L)};
    }

    private Latencies time(PageReader reader, LongSupplier before) throws Exception {
        Histogram histogram = new Histogram(MAX_MICROS, DIGITS);
        for (int i = 0; i < settings.pagingPages; i++) {
            long start = System.nanoTime();
            boolean found = reader.read(before.getAsLong());
            histogram.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - start) / 1000));
            if (!found) {
                throw new IllegalStateException("An empty page: the room was not filled");
            }
        }
        return Latencies.of(histogram);
    }

    /**
     * The store's own page statement, read from the class so that the figure follows the statement.
     */
    private static String pageStatement() throws ReflectiveOperationException {
        Field page = PostgresStore.class.getDeclaredField("PAGE");
        page.setAccessible(true);
        return (String) page.get(null);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
}

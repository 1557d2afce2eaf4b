package dev.quarkchat.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.PostgresServer;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The store's {@code chat_append} function, called directly on the migrated schema, against a model
 * of what it must do: each send, in the batch's order, gets its room's next seq, unless its sender
 * already posted its id in the room (in an earlier batch or earlier in the same one), which then
 * answers instead. Random batches mix new and known rooms, sends with and without ids, and resends.
 */
class AppendFunctionTest {

    private static final String APPEND =
            "SELECT * FROM chat_append(?::text[], ?::text[], ?::text[], ?::timestamptz[],"
                    + " ?::text[], ?::text[])";

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static PostgresServer server;
    private static String database;

    /** One send of a batch. */
    private record Send(String room, String sender, String body, Instant sent, String clientId) {}

    /** One row of chat_append's answer. */
    private record Answer(
            String epoch, long seq, boolean posted, Instant postedAt, String postedBody) {}

    /** A stored message, as the model keeps it, and the batch that posted it. */
    private record Stored(long seq, Instant sent, String body, int batch) {}

    /** The model: each room's epoch and last seq, and the posts of each (room, sender, id). */
    private final Map<String, String> epochs = new HashMap<>();

    private final Map<String, Long> lastSeqs = new HashMap<>();
    private final Map<List<String>, Stored> byKey = new HashMap<>();
    private final List<List<Object>> messages = new ArrayList<>();
    private int batch;
    private int resendsOfEarlierBatches;
    private int resendsInTheSameBatch;

    @BeforeAll
    static void migrate() {
        server = PostgresServer.shared();
        database = server.createDatabase();
        Flyway.configure()
                .dataSource("jdbc:" + server.reactiveUrl(database), server.user(), "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @Test
    void randomBatchesAnswerAndStoreAsTheModelDoes() throws SQLException {
        Random random = new Random(17);
        try (Connection connection = server.connect(database);
                PreparedStatement append = connection.prepareStatement(APPEND)) {
            for (batch = 0; batch < 300; batch++) {
                List<Send> sends = new ArrayList<>();
                int size = random.nextInt(13);
                for (int i = 0; i < size; i++) {
                    sends.add(
                            new Send(
                                    "room-" + random.nextInt(5),
                                    "user-" + random.nextInt(3),
                                    "text " + random.nextInt(4),
                                    START.plusMillis(batch * 100L + i),
                                    random.nextInt(10) < 3 ? null : "c-" + random.nextInt(16)));
                }
                String epoch = "epoch-" + batch;
                assertThat(append(append, sends, epoch))
                        .as("answers to batch %d: %s", batch, sends)
                        .containsExactlyElementsOf(model(sends, epoch));
            }
            assertThat(storedMessages(connection)).containsExactlyElementsOf(sortedModel());
        }
        assertThat(resendsOfEarlierBatches).as("resends of earlier batches").isPositive();
        assertThat(resendsInTheSameBatch).as("resends within a batch").isPositive();
    }

    private static List<Answer> append(PreparedStatement append, List<Send> sends, String epoch)
            throws SQLException {
        Connection connection = append.getConnection();
        append.setArray(1, texts(connection, sends.stream().map(Send::room).toList()));
        append.setArray(2, texts(connection, sends.stream().map(Send::sender).toList()));
        append.setArray(3, texts(connection, sends.stream().map(Send::body).toList()));
        append.setArray(
                4, texts(connection, sends.stream().map(send -> send.sent().toString()).toList()));
        append.setArray(5, texts(connection, sends.stream().map(Send::clientId).toList()));
        append.setArray(6, texts(connection, sends.stream().map(send -> epoch).toList()));
        List<Answer> answers = new ArrayList<>();
        try (ResultSet rows = append.executeQuery()) {
            while (rows.next()) {
                answers.add(
                        new Answer(
                                rows.getString("room_epoch"),
                                rows.getLong("message_seq"),
                                rows.getBoolean("posted"),
                                rows.getObject("posted_at", OffsetDateTime.class).toInstant(),
                                rows.getString("posted_body")));
            }
        }
        return answers;
    }

    private static java.sql.Array texts(Connection connection, List<String> values)
            throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    /** What the batch must answer, one send after the other; the model moves on with it. */
    private List<Answer> model(List<Send> sends, String epoch) {
        List<Answer> answers = new ArrayList<>();
        for (Send send : sends) {
            String roomEpoch = epochs.computeIfAbsent(send.room(), room -> epoch);
            List<String> key = List.of(send.room(), send.sender(), String.valueOf(send.clientId()));
            Stored earlier = send.clientId() == null ? null : byKey.get(key);
            if (earlier != null) {
                if (earlier.batch() == batch) {
                    resendsInTheSameBatch++;
                } else {
                    resendsOfEarlierBatches++;
                }
                answers.add(
                        new Answer(
                                roomEpoch, earlier.seq(), false, earlier.sent(), earlier.body()));
                continue;
            }
            long seq = lastSeqs.merge(send.room(), 1L, Long::sum);
            if (send.clientId() != null) {
                byKey.put(key, new Stored(seq, send.sent(), send.body(), batch));
            }
            messages.add(
                    List.of(
                            send.room(),
                            seq,
                            send.sender(),
                            send.body(),
                            send.sent(),
                            String.valueOf(send.clientId())));
            answers.add(new Answer(roomEpoch, seq, true, send.sent(), null));
        }
        return answers;
    }

    private List<List<Object>> sortedModel() {
        List<List<Object>> sorted = new ArrayList<>(messages);
        sorted.sort(
                (a, b) -> {
                    int byRoom = ((String) a.get(0)).compareTo((String) b.get(0));
                    return byRoom != 0 ? byRoom : Long.compare((Long) a.get(1), (Long) b.get(1));
                });
        return sorted;
    }

    private static List<List<Object>> storedMessages(Connection connection) throws SQLException {
        List<List<Object>> stored = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT room, seq, sender, body, sent_at, client_id"
                                        + " FROM chat_message ORDER BY room COLLATE \"C\", seq")) {
            while (rows.next()) {
                stored.add(
                        List.of(
                                rows.getString("room"),
                                rows.getLong("seq"),
                                rows.getString("sender"),
                                rows.getString("body"),
                                rows.getObject("sent_at", OffsetDateTime.class).toInstant(),
                                String.valueOf(rows.getString("client_id"))));
            }
        }
        return stored;
    }
}

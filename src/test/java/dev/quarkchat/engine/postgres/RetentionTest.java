package dev.quarkchat.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.PostgresHistory;
import dev.quarkchat.testing.PostgresServer;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Retention deletes exactly the messages past its bounds, oldest first and in small batches, while
 * the rooms go on: a room's retained messages stay one unbroken run, which a returning client is
 * told about.
 */
@QuarkusTest
@TestProfile(RetentionTest.QuickRetention.class)
class RetentionTest {

    private static final int MAX_MESSAGES = 20;

    /** A cap a test can cross, small batches, and a job that runs often. */
    public static class QuickRetention extends PostgresHistory {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.history.retention.max-messages", Integer.toString(MAX_MESSAGES),
                    "chat.history.retention.batch-size", "3",
                    "chat.history.retention.interval", "100ms",
                    "chat.history.retention.max-age", "30d");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aRoomKeepsItsLatestMessagesWhileChatGoesOn() throws Exception {
        int sent = MAX_MESSAGES * 3;
        try (ChatClient ann = connect("cap-ann").join("capped");
                ChatClient bob = connect("cap-bob").join("capped")) {
            CompletableFuture<Void> sending =
                    CompletableFuture.runAsync(
                            () -> {
                                for (int n = 1; n <= sent; n++) {
                                    ann.send("capped", "message " + n, "cap-" + n);
                                }
                            });
            sending.get(ChatClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            bob.awaitMessage("cap-" + sent);
            assertThat(bob.seqsIn("capped")).containsExactlyElementsOf(range(1, sent));

            await().atMost(ChatClient.TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(storedSeqs("capped"))
                                            .containsExactlyElementsOf(
                                                    range(sent - MAX_MESSAGES + 1, sent)));
            assertThat(firstSeq("capped")).isEqualTo(sent - MAX_MESSAGES + 1);

            bob.sendJson(
                    new JsonObject()
                            .put("type", "history")
                            .put("room", "capped")
                            .put("before", sent - MAX_MESSAGES + 3)
                            .put("limit", 10)
                            .put("id", "edge"));
            JsonObject edge =
                    bob.awaitFrame(
                            frame ->
                                    "history".equals(frame.getString("type"))
                                            && "edge".equals(frame.getString("id")));
            assertThat(edge.getLong("firstSeq")).isEqualTo(sent - MAX_MESSAGES + 1);
            assertThat(edge.getBoolean("more")).isFalse();
            assertThat(edge.getJsonArray("messages"))
                    .extracting(message -> ((JsonObject) message).getLong("seq"))
                    .containsExactly(
                            (long) sent - MAX_MESSAGES + 1, (long) sent - MAX_MESSAGES + 2);
            assertThat(Metrics.ofTestedService().value("chat_store_messages_expired_total"))
                    .isGreaterThanOrEqualTo(sent - MAX_MESSAGES);
        }
    }

    @Test
    void messagesOlderThanMaxAgeGoOldestFirstAndTheRestStaysUnbroken() throws SQLException {
        try (ChatClient ann = connect("age-ann").join("aged")) {
            for (int n = 1; n <= 8; n++) {
                ann.send("aged", "message " + n, "aged-" + n);
            }
            ann.awaitMessage("aged-8");
            String epoch =
                    ann.awaitFrame(
                                    frame ->
                                            "joined".equals(frame.getString("type"))
                                                    && "aged".equals(frame.getString("room")))
                            .getString("epoch");

            execute(
                    "UPDATE chat_message SET sent_at = now() - interval '31 days'"
                            + " WHERE room = 'aged' AND seq <= 5");
            await().atMost(ChatClient.TIMEOUT)
                    .untilAsserted(
                            () -> assertThat(storedSeqs("aged")).containsExactly(6L, 7L, 8L));
            assertThat(firstSeq("aged")).isEqualTo(6);

            try (ChatClient tooOld = connect("age-bob")) {
                tooOld.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "aged")
                                .put("since", 3)
                                .put("epoch", epoch));
                tooOld.awaitMessage("aged-8");
                assertThat(tooOld.seqsIn("aged")).containsExactly(6L, 7L, 8L);
            }
            try (ChatClient justInTime = connect("age-cat")) {
                justInTime.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", "aged")
                                .put("since", 5)
                                .put("epoch", epoch)
                                .put("id", "in-time"));
                JsonObject joined =
                        justInTime.awaitFrame(frame -> "in-time".equals(frame.getString("id")));
                assertThat(joined.getBoolean("recovered")).isTrue();
                justInTime.awaitMessage("aged-8");
                assertThat(justInTime.seqsIn("aged")).containsExactly(6L, 7L, 8L);
            }
        }
    }

    @Test
    void aRoomWithNothingLeftAndNoActivityIsForgotten() throws SQLException {
        try (ChatClient ann = connect("gone-ann").join("forgotten")) {
            ann.send("forgotten", "soon gone", "gone-1");
            ann.awaitMessage("gone-1");
        }
        execute(
                "UPDATE chat_message SET sent_at = now() - interval '31 days'"
                        + " WHERE room = 'forgotten'");
        execute(
                "UPDATE chat_room SET active_at = now() - interval '31 days'"
                        + " WHERE room = 'forgotten'");
        await().atMost(ChatClient.TIMEOUT).until(() -> count("chat_room", "forgotten") == 0);
        assertThat(count("chat_message", "forgotten")).isZero();
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    private static List<Long> storedSeqs(String room) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT seq FROM chat_message WHERE room = '"
                                        + room
                                        + "' ORDER BY seq")) {
            while (rows.next()) {
                seqs.add(rows.getLong(1));
            }
        }
        return seqs;
    }

    private static long firstSeq(String room) throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT first_seq FROM chat_room WHERE room = '" + room + "'")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    private static long count(String table, String room) throws SQLException {
        try (Connection connection = database();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT count(*) FROM " + table + " WHERE room = '" + room + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void execute(String sql) {
        PostgresServer.shared().execute(PostgresHistory.Database.name(), sql);
    }

    private static Connection database() throws SQLException {
        return PostgresServer.shared().connect(PostgresHistory.Database.name());
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().collect(Collectors.toList());
    }
}

package dev.quarkchat.engine.postgres;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.PostgresHistory;
import dev.quarkchat.testing.PostgresServer;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL goes away and comes back with its data, as a database server restarts: the instance
 * keeps its connections, refuses sends and joins that need the store with {@code unavailable},
 * reports it, and carries on by itself where the room's sequence stood.
 */
@QuarkusTest
@TestProfile(StoreOutageTest.OwnServer.class)
class StoreOutageTest {

    private static final String ROOM = "store-outage";
    private static final String UNAVAILABLE_SERIES =
            "chat_messages_rejected_total{code=\"unavailable\"}";
    private static final String STORE_ERRORS_SERIES = "chat_store_errors_total{";

    /** The durable store on a PostgreSQL server of the test's own, which it stops and restarts. */
    public static class OwnServer extends PostgresHistory {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Server.class));
        }
    }

    /** Starts the test's server before the application and hands its address over. */
    public static class Server implements QuarkusTestResourceLifecycleManager {

        private static volatile PostgresServer postgres;

        static PostgresServer postgres() {
            return postgres;
        }

        @Override
        public Map<String, String> start() {
            postgres = PostgresServer.start();
            return PostgresHistory.settings(postgres, postgres.createDatabase());
        }

        @Override
        public void stop() {
            postgres.stop();
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void sendsAndJoinsAreRefusedWhilePostgresIsDownAndTheRoomGoesOnWhenItIsBack() {
        Metrics metrics = Metrics.ofTestedService();
        try (ChatClient ann = connect("so-ann").join(ROOM);
                ChatClient bob = connect("so-bob").join(ROOM)) {
            for (int n = 1; n <= 3; n++) {
                ann.send(ROOM, "before " + n, "before-" + n);
            }
            bob.awaitMessage("before-3");
            String epoch = joined(bob).getString("epoch");
            double refusedBefore = metrics.value(UNAVAILABLE_SERIES);
            double errorsBefore = storeErrors(metrics);

            Server.postgres().stop();
            await().atMost(ChatClient.TIMEOUT).until(() -> metrics.value("chat_store_up") == 0);
            given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(503);

            ann.send(ROOM, "while down", "down-1");
            assertThat(ann.awaitError("down-1").getString("code")).isEqualTo("unavailable");
            ann.sendJson(
                    new JsonObject()
                            .put("type", "join")
                            .put("room", "store-outage-elsewhere")
                            .put("id", "down-join"));
            assertThat(ann.awaitError("down-join").getString("code")).isEqualTo("unavailable");
            assertThat(metrics.value(UNAVAILABLE_SERIES)).isEqualTo(refusedBefore + 2);
            assertThat(storeErrors(metrics)).isGreaterThan(errorsBefore);
            assertThat(ann.closed()).isFalse();
            assertThat(bob.closed()).isFalse();
            assertThat(bob.messagesIn(ROOM)).hasSize(3);

            Server.postgres().restart();
            await().atMost(ChatClient.TIMEOUT).until(() -> metrics.value("chat_store_up") == 1);
            given().baseUri(base.toString()).get("/q/health/ready").then().statusCode(200);

            ann.send(ROOM, "after", "after-1");
            assertThat(bob.awaitMessage("after-1").getLong("seq")).isEqualTo(4L);
            ann.send(ROOM, "while down", "down-1");
            assertThat(bob.awaitMessage("down-1").getLong("seq")).isEqualTo(5L);
            assertThat(ann.awaitMessage("down-1").getLong("seq")).isEqualTo(5L);
            assertThat(bob.seqsIn(ROOM)).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(joined(bob).getString("epoch")).isEqualTo(epoch);

            try (ChatClient cat = connect("so-cat")) {
                cat.sendJson(
                        new JsonObject()
                                .put("type", "join")
                                .put("room", ROOM)
                                .put("since", 0)
                                .put("epoch", epoch)
                                .put("id", "back"));
                JsonObject rejoined = cat.awaitFrame(frame -> "back".equals(frame.getString("id")));
                assertThat(rejoined.getBoolean("recovered")).isTrue();
                cat.awaitMessage("down-1");
                assertThat(cat.messagesIn(ROOM))
                        .extracting(frame -> frame.getString("id"))
                        .containsExactly("before-1", "before-2", "before-3", "after-1", "down-1");
                assertThat(cat.seqsIn(ROOM)).containsExactly(1L, 2L, 3L, 4L, 5L);
            }
        }
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }

    /** Failed statements of every operation. */
    private static double storeErrors(Metrics metrics) {
        return metrics.scrape()
                .lines()
                .filter(line -> line.startsWith(STORE_ERRORS_SERIES))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf("} ") + 2)))
                .sum();
    }

    /** The {@code joined} frame of the room; the only one, as the epoch never changes. */
    private static JsonObject joined(ChatClient client) {
        List<JsonObject> answers =
                client.framesOfType("joined").stream()
                        .filter(frame -> ROOM.equals(frame.getString("room")))
                        .toList();
        assertThat(answers).hasSize(1);
        return answers.get(0);
    }
}

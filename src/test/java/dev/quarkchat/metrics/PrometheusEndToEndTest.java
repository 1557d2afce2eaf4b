package dev.quarkchat.metrics;

import static dev.quarkchat.testing.ApiRequests.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Flood;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.PrometheusServer;
import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The dashboard and the alert rules against a real Prometheus scraping the service: a silent
 * client, a stuck reader, a flood of refused handshakes and calls of the server API each show up,
 * correctly labelled, and every query of the dashboard and every series the alerts use returns data
 * (those of the PostgreSQL store's up gauge only where the service runs that store). Runs with
 * {@code ./mvnw verify -Pe2e}.
 */
@Tag("e2e")
@QuarkusTest
@TestProfile(PrometheusEndToEndTest.QuickDrops.class)
class PrometheusEndToEndTest {

    private static final Path DASHBOARD = Path.of("k8s", "monitoring", "chat-dashboard.json");
    private static final Path RULES = Path.of("k8s", "monitoring", "chat-rules.yml");
    private static final Pattern RECORDED_SERIES = Pattern.compile("chat:[a-z0-9_:]+");

    /**
     * The series only the PostgreSQL store registers, and what is recorded from them: while the
     * service keeps memory they have no data, and the queries over them must find none.
     */
    private static final Pattern ONLY_WITH_THE_STORE =
            Pattern.compile("chat_store_up|chat:store_up");

    /** The series only the Redis backplane registers, and what is recorded from them. */
    private static final Pattern ONLY_WITH_THE_BACKPLANE =
            Pattern.compile("chat_backplane_up|chat:backplane_up|chat_backplane_channels");

    private static final int REFUSED_HANDSHAKES = 20;
    private static final String ROOM = "observed";

    /** Drops that happen within seconds: a short keepalive and the smallest send queue. */
    public static class QuickDrops implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.websockets-next.server.auto-ping-interval", "2s",
                    "chat.keepalive.pong-timeout", "4s",
                    "chat.max-pending-bytes", "65536");
        }
    }

    @TestHTTPResource("/")
    URI base;

    private static PrometheusServer prometheus;
    private final Metrics metrics = Metrics.ofTestedService();

    @BeforeEach
    void startPrometheusOnce() throws IOException {
        if (prometheus == null) {
            prometheus = PrometheusServer.start(base, RULES);
        }
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    @SuppressWarnings(
            "try") // the silent client is connected and deliberately never used: that is what it
    // shows
    void
            silentClientsStuckReadersAndRefusedHandshakesShowUpInPrometheusAndEveryPanelAndAlertHasData()
                    throws IOException {
        try (ChatClient talker =
                        ChatClient.connect(base, TestTokens.valid("e2e-talker")).join(ROOM);
                ChatClient listener =
                        ChatClient.connect(base, TestTokens.valid("e2e-listener")).join(ROOM);
                RawWebSocket silent = RawWebSocket.connect(base, TestTokens.valid("e2e-silent"));
                RawWebSocket stuck =
                        RawWebSocket.connect(base, TestTokens.valid("e2e-stuck"), 4096)) {
            stuck.writeText("{\"type\":\"join\",\"room\":\"" + ROOM + "\"}");
            stuck.readTextContaining("\"room\":\"" + ROOM + "\"");
            talker.sendText("not json");
            talker.awaitAnyError();
            for (int i = 0; i < REFUSED_HANDSHAKES; i++) {
                ChatClient.rejectedStatus(
                        ChatClient.handshake(base).header("Authorization", "Bearer forged-" + i));
            }
            double stuckDrops =
                    metrics.value("chat_sockets_dropped_total{reason=\"slow_consumer\"}");
            // The stuck reader sends unsolicited pongs meanwhile, so that the short keepalive of
            // this profile
            // does not drop it first.
            Flood.until(
                    () ->
                            metrics.value("chat_sockets_dropped_total{reason=\"slow_consumer\"}")
                                            > stuckDrops
                                    || !heartbeat(stuck),
                    ROOM,
                    talker,
                    listener);

            prometheus.awaitAtLeast(
                    "chat_sockets_dropped_total{job=\"quarkchat\",reason=\"slow_consumer\"}", 1);
            prometheus.awaitAtLeast(
                    "chat_sockets_dropped_total{job=\"quarkchat\",reason=\"pong_timeout\"}", 1);
            prometheus.awaitAtLeast(
                    "chat_connections_closed_total{job=\"quarkchat\",reason=\"pong_timeout\"}", 1);
            prometheus.awaitAtLeast(
                    "chat_handshakes_rejected_total{job=\"quarkchat\",reason=\"unauthenticated\"}",
                    REFUSED_HANDSHAKES);

            // Calls of the server API, made after Prometheus has scraped its series at zero, so
            // that their rates show: one answered, one refused without a token.
            given().auth().oauth2(TestTokens.admin("e2e-backend")).get("/api/v1/rooms");
            given().get("/api/v1/rooms");
            prometheus.awaitAtLeast(
                    "chat_api_requests_total{job=\"quarkchat\",endpoint=\"GET /api/v1/rooms\","
                            + "status=\"200\"}",
                    1);
            prometheus.awaitAtLeast(
                    "chat_api_requests_total{job=\"quarkchat\",endpoint=\"GET /api/v1/rooms\","
                            + "status=\"401\"}",
                    1);

            boolean withTheStore = metrics.find("chat_store_up").isPresent();
            boolean withTheBackplane = metrics.find("chat_backplane_channels").isPresent();
            for (String query : dashboardQueries()) {
                assertAnswers(query, withTheStore, withTheBackplane);
            }
            for (String series : seriesUsedByAlerts()) {
                assertAnswers(series, withTheStore, withTheBackplane);
            }
        }
    }

    /**
     * The query has data, unless it reads what only the PostgreSQL store or the Redis backplane
     * registers and this service has neither: then Prometheus must still accept it, and find
     * nothing.
     */
    private static void assertAnswers(
            String query, boolean withTheStore, boolean withTheBackplane) {
        if (!withTheStore && ONLY_WITH_THE_STORE.matcher(query).find()) {
            assertThat(prometheus.query(query)).as(query + ", without the store").isEmpty();
        } else if (!withTheBackplane && ONLY_WITH_THE_BACKPLANE.matcher(query).find()) {
            assertThat(prometheus.query(query)).as(query + ", without the backplane").isEmpty();
        } else {
            assertThat(prometheus.awaitData(query)).as(query).isNotEmpty();
        }
    }

    /**
     * @return false once the socket is gone
     */
    private static boolean heartbeat(RawWebSocket socket) {
        try {
            socket.writeFrame(RawWebSocket.OPCODE_PONG, true, new byte[0]);
            return true;
        } catch (IOException gone) {
            return false;
        }
    }

    @Test
    void prometheusLoadedEveryAlertRuleHealthy() throws IOException {
        Set<String> alerts = alertNames();

        assertThat(alerts)
                .contains(
                        "ChatNoInstanceUp",
                        "ChatDroppedSocketsSpike",
                        "ChatHandshakeRejectionSpike",
                        "ChatBroadcastLatencyHigh",
                        "ChatStoreDown",
                        "ChatStoreSlow",
                        "ChatStoreErrors",
                        "ChatApiServerErrors");
        List<JsonObject> loaded = prometheus.loadedRules();
        assertThat(
                        loaded.stream()
                                .filter(rule -> "alerting".equals(rule.getString("type")))
                                .map(rule -> rule.getString("name")))
                .containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(loaded)
                .allSatisfy(
                        rule ->
                                assertThat(rule.getString("health"))
                                        .as(rule.getString("name"))
                                        .isNotEqualTo("err"));
    }

    private static List<String> dashboardQueries() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        return dashboard.getJsonArray("panels").stream()
                .map(JsonObject.class::cast)
                .flatMap(
                        panel -> panel.getJsonArray("targets").stream().map(JsonObject.class::cast))
                .map(target -> target.getString("expr"))
                .collect(Collectors.toList());
    }

    /** Every recorded series ({@code chat:...}) an alert compares with its threshold. */
    private static Set<String> seriesUsedByAlerts() throws IOException {
        Set<String> series = new TreeSet<>();
        for (Map<String, Object> rule : rules()) {
            if (rule.containsKey("alert")) {
                Matcher matcher = RECORDED_SERIES.matcher(String.valueOf(rule.get("expr")));
                while (matcher.find()) {
                    series.add(matcher.group());
                }
            }
        }
        return series;
    }

    private static Set<String> alertNames() throws IOException {
        return rules().stream()
                .filter(rule -> rule.containsKey("alert"))
                .map(rule -> String.valueOf(rule.get("alert")))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        return ((List<Map<String, Object>>) file.get("groups"))
                .stream()
                        .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream())
                        .collect(Collectors.toList());
    }
}

package dev.quarkchat.it;

import static dev.quarkchat.testing.FailoverViews.assertContiguous;
import static dev.quarkchat.testing.FailoverViews.ids;
import static dev.quarkchat.testing.FailoverViews.numbered;
import static dev.quarkchat.testing.FailoverViews.sendUntilAcknowledged;
import static dev.quarkchat.testing.FailoverViews.viewsOf;
import static dev.quarkchat.testing.Frames.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;
import dev.quarkchat.testing.RedisCluster;
import dev.quarkchat.testing.RedisClusterBackplane;

import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Two instances of the packaged service (jar, or native executable with {@code -Dnative}) on a real
 * Redis Cluster of three primaries and a replica of the first: an instance takes in only the events
 * of the rooms it has members in (by its metrics and by the trace of its subscriptions),
 * short-lived joins leave no subscription behind, and a primary killed mid-stream costs no
 * acknowledged message while its replica takes over.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterBackplaneIT {

    private static final String PREFIX = "quarkchat:";
    private static final String RECEIVED = "chat_backplane_events_received_total";
    private static final String WITHOUT_MEMBERS = "chat_backplane_events_without_members_total";
    private static final String CHANNELS = "chat_backplane_channels";

    /** Long enough for the cluster to declare a primary failed and promote its replica. */
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private static Map<String, String> operatorSettings;
    private static RedisCluster cluster;
    private static PackagedApp first;
    private static PackagedApp second;

    @BeforeAll
    static void startTheClusterAndTwoInstances() {
        operatorSettings = new OperatorKeys().start();
        cluster = RedisCluster.start(1);
        first = startInstance("cluster-1");
        second = startInstance("cluster-2");
    }

    @AfterAll
    static void stopEverything() {
        first.close();
        second.close();
        cluster.close();
    }

    @Test
    @Order(1)
    void anInstanceWithMembersInOneRoomTakesInNoOtherRoomsEvents() {
        Metrics firstMetrics = Metrics.at(first.baseUri().toString());
        try (ChatClient ann = connect(first, "cl-ann").join("it-kitchen");
                ChatClient bob = connect(second, "cl-bob").join("it-kitchen").join("it-garden");
                ChatClient cid = connect(second, "cl-cid").join("it-garden")) {
            bob.awaitFrame(presence("it-garden", "cl-cid", "join"));
            double receivedBefore = firstMetrics.value(RECEIVED);
            for (int n = 1; n <= 30; n++) {
                cid.send("it-garden", "roses " + n, "g-" + n);
            }
            bob.awaitMessage("g-30");
            bob.send("it-kitchen", "soup", "k-1");
            ann.awaitMessage("k-1");

            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> firstMetrics.value(RECEIVED) >= receivedBefore + 1);
            await().during(Duration.ofMillis(500))
                    .atMost(ChatClient.TIMEOUT)
                    .until(() -> firstMetrics.value(RECEIVED) == receivedBefore + 1);
            assertThat(firstMetrics.value(WITHOUT_MEMBERS)).isZero();
            assertThat(first.output())
                    .contains("Subscribing to " + PREFIX + "{it-kitchen}:events")
                    .doesNotContain("{it-garden}");
            assertThat(second.output()).contains("Subscribing to " + PREFIX + "{it-garden}:events");
        }
    }

    @Test
    @Order(2)
    void shortLivedJoinsLeaveNoSubscriptionBehind() {
        Metrics firstMetrics = Metrics.at(first.baseUri().toString());
        double heldBefore = firstMetrics.value(CHANNELS);
        try (ChatClient dan = connect(first, "cl-dan")) {
            for (int round = 0; round < 2; round++) {
                for (int n = 0; n < 30; n++) {
                    dan.joinAndLeave("it-churn-" + n, round + "-" + n);
                }
            }
        }
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                cluster.shardChannels(PREFIX).stream()
                                        .noneMatch(channel -> channel.contains("{it-churn-")));
        await().atMost(ChatClient.TIMEOUT).until(() -> firstMetrics.value(CHANNELS) <= heldBefore);
        assertThat(first.output()).contains("Unsubscribing from " + PREFIX + "{it-churn-0}:events");
    }

    @Test
    @Order(3)
    void aPrimaryKilledMidStreamLosesNoAcknowledgedMessageOnEitherInstance() throws Exception {
        RedisCluster.Node failing = cluster.nodes().get(0);
        String failingRoom = roomServedBy(failing, true);
        String steadyRoom = roomServedBy(failing, false);
        int messages = 40;
        int beforeKill = 15;
        try (ChatClient ann = connect(first, "cl-eve").join(failingRoom).join(steadyRoom);
                ChatClient bob = connect(second, "cl-fay").join(failingRoom).join(steadyRoom)) {
            CompletableFuture<Integer> steadyRefusals =
                    CompletableFuture.supplyAsync(
                            () -> {
                                int refusals = 0;
                                for (int n = 1; n <= messages; n++) {
                                    refusals +=
                                            sendUntilAcknowledged(
                                                    bob,
                                                    second.baseUri(),
                                                    steadyRoom,
                                                    "s-" + n,
                                                    FAILOVER_TIMEOUT);
                                }
                                return refusals;
                            });
            for (int n = 1; n <= messages; n++) {
                if (n == beforeKill + 1) {
                    cluster.kill(failing);
                    cluster.promote(cluster.nodes().get(3));
                }
                sendUntilAcknowledged(
                        ann, first.baseUri(), failingRoom, "f-" + n, FAILOVER_TIMEOUT);
            }
            assertThat(steadyRefusals.get(FAILOVER_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("sends to the other shard's room refused during the failover")
                    .isZero();
            for (ChatClient member : List.of(ann, bob)) {
                member.awaitMessage("f-" + messages);
                member.awaitMessage("s-" + messages);
                List<List<JsonObject>> views = viewsOf(member, failingRoom);
                assertThat(views).as("the first view, then one fresh view").hasSize(2);
                views.forEach(view -> assertContiguous(view));
                assertThat(ids(views.get(0))).containsSubsequence(numbered("f-", 1, beforeKill));
                assertThat(ids(views.get(1)))
                        .containsSubsequence(numbered("f-", beforeKill + 1, messages))
                        .doesNotHaveDuplicates();
                List<List<JsonObject>> steadyViews = viewsOf(member, steadyRoom);
                assertThat(steadyViews).hasSize(1);
                assertThat(ids(steadyViews.get(0)))
                        .containsExactlyElementsOf(numbered("s-", 1, messages));
            }
        }
    }

    /** A room name whose slot the node serves ({@code onNode}), or another primary serves. */
    private static String roomServedBy(RedisCluster.Node node, boolean onNode) {
        for (int n = 0; ; n++) {
            String room = "it-failover-" + n;
            if ((cluster.primaryOf("{" + room + "}") == node) == onNode) {
                return room;
            }
        }
    }

    private static PackagedApp startInstance(String name) {
        Map<String, String> settings = new HashMap<>(operatorSettings);
        settings.putAll(RedisClusterBackplane.Server.settings(cluster));
        settings.put("chat.backplane.redis.channel-grace", "500ms");
        // The trace of the instance's subscriptions, which the tests read.
        settings.put(
                "quarkus.log.category.\"dev.quarkchat.engine.redis.RedisShard\".level", "DEBUG");
        settings.put("chat.rate-limit.messages-per-second", "100000");
        settings.put("chat.rate-limit.burst", "100000");
        return PackagedApp.start(name, settings).awaitListening().awaitReadiness(200);
    }

    private static ChatClient connect(PackagedApp app, String user) {
        return ChatClient.connect(app.baseUri(), OperatorKeys.token(user));
    }
}

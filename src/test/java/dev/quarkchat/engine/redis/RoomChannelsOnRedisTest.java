package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.RoomEvent;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.RedisBackplane;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Each room's events travel on a channel of its own, which an instance holds only while it has
 * members in the room (and a grace period after): an instance hears nothing of the other rooms.
 */
@QuarkusTest
@TestProfile(RoomChannelsOnRedisTest.ShortGrace.class)
class RoomChannelsOnRedisTest {

    /** The shared rooms, with a channel let go soon after its room's last member here left. */
    public static class ShortGrace extends RedisBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.backplane.redis.channel-grace", "300ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject Instance<Redis> client;

    @Inject RedisBackplaneConfig backplane;

    @Test
    void anInstanceHearsOnlyTheRoomsItHasMembersIn() throws Exception {
        Metrics metrics = Metrics.ofTestedService();
        double receivedBefore = metrics.value("chat_backplane_events_received_total");
        double withoutMembersBefore = metrics.value("chat_backplane_events_without_members_total");
        List<RoomEvent> heard = new CopyOnWriteArrayList<>();
        RedisLink other = AnotherLink.create();
        try {
            other.start(heard::add, () -> {});
            await().atMost(ChatClient.TIMEOUT).until(other::isUp);
            other.holdRoom("kitchen")
                    .toCompletableFuture()
                    .get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            try (ChatClient ann = connect("ch-ann").join("garden").join("kitchen")) {
                ann.send("garden", "roses", "g-1");
                ann.awaitMessage("g-1");
                ann.send("kitchen", "soup", "k-1");
                ann.awaitMessage("k-1");

                // One connection carries both channels in publishing order: once the kitchen's
                // message is here, a garden event would have come before it.
                await().atMost(ChatClient.TIMEOUT)
                        .until(() -> heard.stream().anyMatch(RoomEvent.Message.class::isInstance));
                assertThat(heard).extracting(RoomEvent::room).containsOnly("kitchen");
                assertThat(metrics.value("chat_backplane_events_received_total"))
                        .isGreaterThan(receivedBefore);
                assertThat(metrics.value("chat_backplane_events_without_members_total"))
                        .as("events of rooms without members here")
                        .isEqualTo(withoutMembersBefore);
            }
        } finally {
            other.stop(null);
        }
    }

    @Test
    void aRoomsChannelIsHeldWhileItHasMembersAndLetGoAfterTheGrace() {
        String channel = backplane.keyPrefix() + "{porch}:events";
        try (ChatClient bob = connect("ch-bob").join("porch")) {
            assertThat(channels()).contains(channel);
            bob.send("porch", "bye", "p-1");
            bob.awaitMessage("p-1");
        }
        await().atMost(ChatClient.TIMEOUT).until(() -> !channels().contains(channel));
    }

    @Test
    void manyShortLivedJoinsLeaveNoChannelBehind() {
        Metrics metrics = Metrics.ofTestedService();
        double heldBefore = metrics.value("chat_backplane_channels");
        try (ChatClient carl = connect("ch-carl")) {
            for (int round = 0; round < 3; round++) {
                for (int n = 0; n < 20; n++) {
                    carl.joinAndLeave("churn-" + n, round + "-" + n);
                }
            }
        }
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> channels().stream().noneMatch(channel -> channel.contains("{churn-")));
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> metrics.value("chat_backplane_channels") <= heldBefore);
    }

    /** The channels of this service's keys that have a subscriber on Redis. */
    List<String> channels() {
        List<String> channels = new ArrayList<>();
        Response reply =
                client.get()
                        .send(
                                Request.cmd(Command.PUBSUB)
                                        .arg("CHANNELS")
                                        .arg(backplane.keyPrefix() + "*"))
                        .await()
                        .atMost(ChatClient.TIMEOUT);
        reply.forEach(name -> channels.add(name.toString()));
        return channels;
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

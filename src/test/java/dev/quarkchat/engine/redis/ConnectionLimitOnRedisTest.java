package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.engine.UserConnections;
import dev.quarkchat.scheduling.Waves;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Readiness;
import dev.quarkchat.testing.RedisBackplane;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@code chat.max-connections-per-user} counts a user's connections on every instance: those
 * another instance holds (counted by its own engine, on a Redis link of its own), until that
 * instance releases them or stops refreshing them; while Redis is down, the instance's own count
 * decides, and it is shared again once Redis is back.
 */
@QuarkusTest
@TestProfile(ConnectionLimitOnRedisTest.TwoPerUser.class)
class ConnectionLimitOnRedisTest {

    private static final int LIMIT = 2;

    /** Long enough that another instance's connections outlive a test unrefreshed. */
    private static final Duration HELD = Duration.ofMinutes(1);

    /** The Redis client's queue here: room for one wave of refreshes, not for one per user. */
    private static final int REQUESTS_IN_FLIGHT = Waves.REQUESTS_PER_WAVE + 20;

    private static final int USERS = 2 * Waves.REQUESTS_PER_WAVE;

    /**
     * Two connections per user; this instance refreshes its own twice a second, with a Redis client
     * that takes fewer requests in flight than there are users to refresh.
     */
    public static class TwoPerUser extends RedisBackplane {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.max-connections-per-user",
                    String.valueOf(LIMIT),
                    "chat.backplane.redis.presence-ttl",
                    "1500ms",
                    "quarkus.redis.max-waiting-handlers",
                    String.valueOf(REQUESTS_IN_FLIGHT));
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject RedisBackplaneConfig backplane;

    private final List<RedisLink> links = new ArrayList<>();

    @AfterEach
    void stopTheOtherInstances() {
        links.forEach(link -> link.stop(null));
        links.clear();
    }

    @Test
    void connectionsOnAnotherInstanceCountUntilItReleasesThem() throws Exception {
        UserConnections elsewhere = anotherInstance(HELD);
        assertThat(admit(elsewhere, "cl-ann", "elsewhere-1")).isTrue();

        try (ChatClient here = connect("cl-ann")) {
            assertThat(ChatClient.connectUnlessEnded(base, TestTokens.valid("cl-ann")))
                    .as("one too many, counting the other instance's")
                    .isEmpty();
            assertThat(admit(elsewhere, "cl-ann", "elsewhere-2"))
                    .as("the other instance counts this one's")
                    .isFalse();

            done(elsewhere.release("cl-ann", "elsewhere-1"));
            try (ChatClient again = connect("cl-ann")) {
                assertThat(here.closed() || again.closed()).isFalse();
            }
        }
        await().atMost(ChatClient.TIMEOUT).until(() -> admitAndRelease(elsewhere, "cl-ann", LIMIT));
    }

    @Test
    void theConnectionsOfAnInstanceThatStopsRefreshingStopCounting() throws Exception {
        Duration unrefreshed = Duration.ofSeconds(5);
        UserConnections crashing = anotherInstance(unrefreshed);
        assertThat(admit(crashing, "cl-bob", "crashed-1")).isTrue();
        assertThat(admit(crashing, "cl-bob", "crashed-2")).isTrue();
        assertThat(ChatClient.connectUnlessEnded(base, TestTokens.valid("cl-bob"))).isEmpty();

        Optional<ChatClient> admitted =
                await().atMost(unrefreshed.plus(ChatClient.TIMEOUT))
                        .until(
                                () ->
                                        ChatClient.connectUnlessEnded(
                                                base, TestTokens.valid("cl-bob")),
                                Optional::isPresent);
        admitted.get().close();
    }

    @Test
    void whileRedisIsDownThisInstancesOwnCountDecidesAndIsSharedOnceItIsBack() throws Exception {
        UserConnections elsewhere = anotherInstance(HELD);
        RedisBackplane.Server.redis().stop();
        Readiness.await(base, 503);
        try (ChatClient first = connect("cl-cat");
                ChatClient second = connect("cl-cat")) {
            assertThat(ChatClient.connectUnlessEnded(base, TestTokens.valid("cl-cat"))).isEmpty();

            RedisBackplane.Server.redis().restart();
            Readiness.await(base, 200);
            // The other instance's link is back within the same time.
            await().atMost(ChatClient.TIMEOUT)
                    .ignoreExceptions()
                    .until(() -> !admitAndRelease(elsewhere, "cl-cat", 1));
            assertThat(first.closed() || second.closed()).isFalse();
        }
    }

    @Test
    void whatRedisLostOfManyUsersConnectionsIsPutBackByTheRefresh() throws Exception {
        UserConnections elsewhere = anotherInstance(HELD);
        List<ChatClient> clients = new ArrayList<>();
        try {
            for (int n = 0; n < USERS; n++) {
                clients.add(connect("cl-many-" + n));
            }
            RedisBackplane.Server.redis().stop();
            Readiness.await(base, 503);
            RedisBackplane.Server.redis().restart();
            Readiness.await(base, 200);

            for (int n = 0; n < USERS; n++) {
                String user = "cl-many-" + n;
                await().atMost(ChatClient.TIMEOUT)
                        .ignoreExceptions()
                        .until(() -> !admitAndRelease(elsewhere, user, LIMIT));
            }
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    private UserConnections anotherInstance(Duration connectionsLive) {
        RedisLink link = AnotherLink.create();
        links.add(link);
        link.start(event -> {}, () -> {});
        await().atMost(ChatClient.TIMEOUT).until(link::isUp);
        return new RedisUserConnections(link, new Settings(backplane, connectionsLive));
    }

    /** The application's settings, but for how long the other instance's connections count. */
    private record Settings(RedisBackplaneConfig application, Duration presenceTtl)
            implements RedisBackplaneConfig {

        @Override
        public String keyPrefix() {
            return application.keyPrefix();
        }

        @Override
        public Duration commandTimeout() {
            return application.commandTimeout();
        }

        @Override
        public Duration checkInterval() {
            return application.checkInterval();
        }

        @Override
        public Duration channelGrace() {
            return application.channelGrace();
        }

        @Override
        public Duration roomTtl() {
            return application.roomTtl();
        }
    }

    /**
     * Whether the other instance could count {@code connections} more of the user now; it lets go
     * of them again either way.
     */
    private static boolean admitAndRelease(UserConnections instance, String user, int connections)
            throws Exception {
        boolean all = true;
        for (int n = 1; n <= connections; n++) {
            all &= admit(instance, user, "probe-" + n);
        }
        for (int n = 1; n <= connections; n++) {
            done(instance.release(user, "probe-" + n));
        }
        return all;
    }

    private static boolean admit(UserConnections instance, String user, String connectionId)
            throws Exception {
        return done(instance.admit(user, connectionId, LIMIT));
    }

    private static <T> T done(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture()
                .get(ChatClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ChatClient connect(String user) {
        return ChatClient.connect(base, TestTokens.valid(user));
    }
}

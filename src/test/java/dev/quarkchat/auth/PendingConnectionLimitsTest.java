package dev.quarkchat.auth;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.Metrics;
import dev.quarkchat.testing.PendingSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connections that are not chat sockets get a deadline for each request head and a cap per client
 * address ({@code chat.handshake.*}); chat sockets and other addresses are not touched, and a
 * trusted proxy is not capped. Each attack comes from an address of its own in 127.0.0.0/8, the
 * honest clients from 127.0.0.1.
 */
@QuarkusTest
@TestProfile(PendingConnectionLimitsTest.ShortLimits.class)
class PendingConnectionLimitsTest {

    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(3);
    static final int MAX_PENDING = 5;

    /** Room for a loaded machine on top of the deadline, never part of what is checked. */
    private static final Duration SLACK = Duration.ofSeconds(8);

    private static final int EXTRA = 3;

    /** Behind it, as behind an ingress, every client would share its address. */
    private static final String TRUSTED_PROXY = "127.0.0.6";

    private static final String TOO_MANY_PENDING =
            "chat_handshakes_rejected_total{reason=\"too_many_pending\"}";
    private static final String HEAD_TIMED_OUT =
            "chat_handshakes_rejected_total{reason=\"head_timeout\"}";

    /** A short head timeout and a small cap, to watch both act; one trusted proxy. */
    public static class ShortLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "chat.handshake.head-timeout",
                    HEAD_TIMEOUT.toMillis() + "ms",
                    "chat.handshake.max-pending-per-address",
                    Integer.toString(MAX_PENDING),
                    "quarkus.http.proxy.proxy-address-forwarding",
                    "true",
                    "quarkus.http.proxy.trusted-proxies",
                    TRUSTED_PROXY);
        }
    }

    @TestHTTPResource("/")
    URI base;

    private final Metrics metrics = Metrics.ofTestedService();

    @BeforeEach
    void everyPortIsGuarded() {
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () ->
                                given().header("Connection", "close")
                                                .get("/q/health/ready")
                                                .statusCode()
                                        == 200);
    }

    @Test
    void aRequestHeadSentOneLineAtATimeIsCutOffAtTheHeadTimeout() throws IOException {
        double timedOut = metrics.value(HEAD_TIMED_OUT);
        try (PendingSocket slow = PendingSocket.open(base, "127.0.0.2")) {
            slow.startRequestHead();
            slow.dripHeaderLines(HEAD_TIMEOUT.dividedBy(4));

            assertThat(slow.readUntilClosed(HEAD_TIMEOUT.plus(SLACK)))
                    .as("no answer, the connection just ends")
                    .isEmpty();
        }
        await().atMost(ChatClient.TIMEOUT)
                .until(() -> metrics.value(HEAD_TIMED_OUT) == timedOut + 1);
    }

    @Test
    void idleSocketsPastTheCapAreClosedAtOnceAndTheOthersAtTheirDeadline() throws IOException {
        double refused = metrics.value(TOO_MANY_PENDING);
        double timedOut = metrics.value(HEAD_TIMED_OUT);
        List<PendingSocket> held = openIdle("127.0.0.3", MAX_PENDING);
        List<PendingSocket> extra = openIdle("127.0.0.3", EXTRA);
        try {
            for (PendingSocket socket : extra) {
                assertThat(socket.readUntilClosed(HEAD_TIMEOUT.plus(SLACK))).isEmpty();
            }
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value(TOO_MANY_PENDING) == refused + EXTRA);

            for (PendingSocket socket : held) {
                assertThat(socket.readUntilClosed(HEAD_TIMEOUT.plus(SLACK))).isEmpty();
            }
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value(HEAD_TIMED_OUT) == timedOut + MAX_PENDING);
            assertThat(metrics.value(TOO_MANY_PENDING))
                    .as("the held ones were not refused")
                    .isEqualTo(refused + EXTRA);
        } finally {
            closeAll(held);
            closeAll(extra);
        }
    }

    @Test
    void honestClientsConnectAndChatWhileAnotherAddressIsAtItsCap() throws IOException {
        double refused = metrics.value(TOO_MANY_PENDING);
        List<PendingSocket> attack = new ArrayList<>();
        try (ChatClient before = ChatClient.connect(base, TestTokens.valid("p-before"))) {
            attack.addAll(openIdle("127.0.0.4", MAX_PENDING + 1));
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value(TOO_MANY_PENDING) == refused + 1);

            try (ChatClient during = ChatClient.connect(base, TestTokens.valid("p-during"))) {
                during.send("lobby", "still here", "p-1");
                assertThat(before.awaitMessage("p-1").getString("from")).isEqualTo("p-during");
                before.send("lobby", "so am I", "p-2");
                during.awaitMessage("p-2");
            }

            attack.addAll(openIdle("127.0.0.4", 1));
            assertThat(attack.get(attack.size() - 1).readUntilClosed(HEAD_TIMEOUT.plus(SLACK)))
                    .isEmpty();
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value(TOO_MANY_PENDING) == refused + 2);
        } finally {
            closeAll(attack);
        }
    }

    @Test
    void chatSocketsAreNotCountedAndOutliveTheHeadTimeout() {
        List<ChatClient> quiet = new ArrayList<>();
        try {
            for (int i = 0; i <= MAX_PENDING; i++) {
                quiet.add(ChatClient.connect(base, TestTokens.valid("p-quiet-" + i)));
            }
            Duration twoTimeouts = HEAD_TIMEOUT.multipliedBy(2);

            await().during(twoTimeouts)
                    .atMost(twoTimeouts.plus(SLACK))
                    .until(() -> quiet.stream().noneMatch(ChatClient::closed));

            quiet.get(0).send("lobby", "not a pending connection", "p-3");
            quiet.get(MAX_PENDING).awaitMessage("p-3");
        } finally {
            quiet.forEach(ChatClient::close);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheHeadTimeoutWithoutCountingAsRefused()
            throws IOException {
        double timedOut = metrics.value(HEAD_TIMED_OUT);
        try (PendingSocket keepAlive = PendingSocket.open(base, "127.0.0.5")) {
            for (String path : List.of("/", "/js/app.js", "/q/health/live")) {
                keepAlive.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(keepAlive.readResponse()).as(path).startsWith("HTTP/1.1 200");
            }

            assertThat(keepAlive.readUntilClosed(HEAD_TIMEOUT.plus(SLACK))).isEmpty();
        }
        assertThat(metrics.value(HEAD_TIMED_OUT)).isEqualTo(timedOut);
    }

    @Test
    void aTrustedProxyIsNotCountedButItsIdleSocketsStillGetTheHeadTimeout() throws IOException {
        double refused = metrics.value(TOO_MANY_PENDING);
        double timedOut = metrics.value(HEAD_TIMED_OUT);
        List<PendingSocket> proxy = openIdle(TRUSTED_PROXY, MAX_PENDING + EXTRA);
        try {
            for (PendingSocket socket : proxy) {
                assertThat(socket.readUntilClosed(HEAD_TIMEOUT.plus(SLACK))).isEmpty();
            }
            await().atMost(ChatClient.TIMEOUT)
                    .until(() -> metrics.value(HEAD_TIMED_OUT) == timedOut + MAX_PENDING + EXTRA);
            assertThat(metrics.value(TOO_MANY_PENDING)).isEqualTo(refused);
        } finally {
            closeAll(proxy);
        }
    }

    private List<PendingSocket> openIdle(String address, int count) throws IOException {
        List<PendingSocket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(PendingSocket.open(base, address));
        }
        return sockets;
    }

    private static void closeAll(List<PendingSocket> sockets) throws IOException {
        for (PendingSocket socket : sockets) {
            socket.close();
        }
    }
}

package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.LiveHeap;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An open chat connection keeps nothing of its upgrade's HTTP request but what the chat takes from
 * it: no routing context (and so no request, response or security identity), and of the headers the
 * framework keeps, only those of the WebSocket handshake: no token, whether it came in {@code
 * Authorization} or as a browser's subprotocol, and no cookie.
 */
@QuarkusTest
class UpgradeReleaseTest {

    private static final int CONNECTIONS = 40;
    private static final String ROUTING_CONTEXT = "io.vertx.ext.web.impl.RoutingContextImpl";
    private static final String CARRIER = "bearer-token-carrier";

    @TestHTTPResource("/")
    URI base;

    @Inject OpenConnections open;

    @Test
    void openConnectionsKeepNoRoutingContextAndNoToken() {
        long before = LiveHeap.instances(ROUTING_CONTEXT);
        List<ChatClient> clients = new ArrayList<>();
        try {
            for (int n = 0; n < CONNECTIONS / 2; n++) {
                clients.add(withHeaders("ur-header-" + n));
                clients.add(browser("ur-browser-" + n));
            }

            assertThat(LiveHeap.instances(ROUTING_CONTEXT) - before)
                    .as("routing contexts kept by %d open connections", CONNECTIONS)
                    .isLessThan(CONNECTIONS / 4);
            List<WebSocketConnection> ours =
                    open.stream()
                            .filter(
                                    connection ->
                                            connection.handshakeRequest().path().equals("/chat"))
                            .toList();
            assertThat(ours).hasSizeGreaterThanOrEqualTo(CONNECTIONS);
            for (WebSocketConnection connection : ours) {
                assertThat(connection.handshakeRequest().headers().keySet())
                        .as("the headers kept with the socket")
                        .isSubsetOf(
                                "host",
                                "origin",
                                "upgrade",
                                "connection",
                                "sec-websocket-key",
                                "sec-websocket-version",
                                "sec-websocket-protocol",
                                "sec-websocket-extensions");
                assertThat(connection.handshakeRequest().header("Sec-WebSocket-Protocol"))
                        .satisfiesAnyOf(
                                offered -> assertThat(offered).isNull(),
                                offered -> assertThat(offered).doesNotContain("Bearer"));
            }
        } finally {
            clients.forEach(ChatClient::close);
        }
    }

    /** With the token in {@code Authorization}, and headers the chat never reads. */
    private ChatClient withHeaders(String user) {
        ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(base)
                                .header("Authorization", "Bearer " + TestTokens.valid(user))
                                .header("Cookie", "session=" + user)
                                .header("X-Request-Id", user));
        client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        return client;
    }

    private ChatClient browser(String user) {
        String authorization = "Bearer " + TestTokens.valid(user);
        ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(base)
                                .subprotocols(
                                        CARRIER,
                                        "quarkus-http-upgrade#Authorization#"
                                                + URLEncoder.encode(
                                                        authorization, StandardCharsets.UTF_8)));
        client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
        assertThat(client.subprotocol()).isEqualTo(CARRIER);
        return client;
    }
}

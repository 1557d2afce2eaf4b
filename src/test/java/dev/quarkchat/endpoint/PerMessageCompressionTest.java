package dev.quarkchat.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.RawWebSocket;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * Browsers offer permessage-deflate on every connection; the server declines it by default, since
 * for chat-sized broadcasts it cost far more than it saved (bench/README.md): each member's copy of
 * a message is deflated on its own, and each connection keeps a compressor.
 */
@QuarkusTest
class PerMessageCompressionTest {

    private static final String BROWSER_OFFER = "permessage-deflate; client_max_window_bits";

    @TestHTTPResource("/")
    URI base;

    @Test
    void anOfferOfPermessageDeflateIsDeclinedAndFramesArrivePlain() throws Exception {
        try (RawWebSocket socket =
                RawWebSocket.connectOffering(
                        base, TestTokens.valid("deflate-offer"), BROWSER_OFFER)) {
            assertThat(socket.handshakeResponse())
                    .startsWith("HTTP/1.1 101")
                    .doesNotContainIgnoringCase("permessage-deflate");
            assertThat(socket.readTextContaining("\"type\":\"welcome\"")).contains("deflate-offer");
        }
    }
}

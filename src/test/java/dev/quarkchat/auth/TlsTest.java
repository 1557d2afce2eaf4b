package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.PendingSocket;
import dev.quarkchat.testing.TestCertificates;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

/**
 * wss:// with a certificate made at test time, verified by the client; plain ws:// is turned away.
 */
@QuarkusTest
@TestProfile(TlsTest.WithCertificate.class)
class TlsTest {

    /** The service with a TLS key pair, redirecting plain HTTP, as production runs. */
    public static class WithCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-ssl-port", "0");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TestCertificates.class));
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URI secure;

    @TestHTTPResource("/")
    URI plain;

    @Inject HandshakeConfig handshake;

    @Test
    void aClientThatVerifiesTheCertificateChatsOverWss() {
        assertThat(secure.getScheme()).isEqualTo("https");
        try (ChatClient client =
                ChatClient.open(
                        ChatClient.handshake(secure)
                                .secure(TestCertificates.trustingIt())
                                .header(
                                        "Authorization",
                                        "Bearer " + TestTokens.valid("secure-sam")))) {
            client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
            client.send("lobby", "over TLS", "tls-1");
            assertThat(client.awaitMessage("tls-1").getString("from")).isEqualTo("secure-sam");
        }
    }

    @Test
    void aPlainUpgradeIsRedirectedNotAccepted() {
        int status =
                ChatClient.rejectedStatus(
                        ChatClient.handshake(plain)
                                .header(
                                        "Authorization",
                                        "Bearer " + TestTokens.valid("plain-pete")));

        assertThat(status).isBetween(301, 308);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        SSLContext systemTrust = SSLContext.getDefault();

        assertThatThrownBy(
                        () ->
                                ChatClient.open(
                                        ChatClient.handshake(secure)
                                                .secure(systemTrust)
                                                .header(
                                                        "Authorization",
                                                        "Bearer "
                                                                + TestTokens.valid(
                                                                        "trusting-tom"))))
                .hasMessageContaining("TLS handshake refused");
    }

    /**
     * The TLS port is guarded as the plain one is (readiness waits for both), and its head timeout
     * covers the TLS handshake; requests over HTTP/2, as browsers make them over TLS, pass the
     * guard's filter too.
     */
    @Test
    void aConnectionThatNeverStartsItsTlsHandshakeIsClosedAtTheHeadTimeout() throws IOException {
        HttpClient http2 =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_2)
                        .sslContext(TestCertificates.trustingIt())
                        .build();
        HttpRequest readiness = HttpRequest.newBuilder(secure.resolve("/q/health/ready")).build();
        await().atMost(ChatClient.TIMEOUT)
                .until(
                        () -> {
                            HttpResponse<String> ready =
                                    http2.send(readiness, HttpResponse.BodyHandlers.ofString());
                            return ready.statusCode() == 200
                                    && ready.version() == HttpClient.Version.HTTP_2;
                        });

        try (PendingSocket silent = PendingSocket.open(secure, "127.0.0.2")) {
            assertThat(silent.readUntilClosed(handshake.headTimeout().plus(Duration.ofSeconds(8))))
                    .isEmpty();
        }
    }
}

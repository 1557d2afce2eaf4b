package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.TestCertificates;
import dev.quarkchat.testing.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** wss:// with a certificate made at test time, verified by the client; plain ws:// is turned away. */
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

    @Test
    void aClientThatVerifiesTheCertificateChatsOverWss() {
        assertThat(secure.getScheme()).isEqualTo("https");
        try (ChatClient client = ChatClient.open(ChatClient.handshake(secure).secure(TestCertificates.trustingIt())
                .header("Authorization", "Bearer " + TestTokens.valid("secure-sam")))) {
            client.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
            client.send("lobby", "over TLS", "tls-1");
            assertThat(client.awaitMessage("tls-1").getString("from")).isEqualTo("secure-sam");
        }
    }

    @Test
    void aPlainUpgradeIsRedirectedNotAccepted() {
        int status = ChatClient.rejectedStatus(ChatClient.handshake(plain)
                .header("Authorization", "Bearer " + TestTokens.valid("plain-pete")));

        assertThat(status).isBetween(301, 308);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() throws Exception {
        SSLContext systemTrust = SSLContext.getDefault();

        assertThatThrownBy(() -> ChatClient.open(ChatClient.handshake(secure).secure(systemTrust)
                .header("Authorization", "Bearer " + TestTokens.valid("trusting-tom"))))
                .hasMessageContaining("TLS handshake refused");
    }
}

package dev.quarkchat;

import static io.restassured.RestAssured.given;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.LocalProcess;
import dev.quarkchat.testing.OperatorKeys;
import dev.quarkchat.testing.PackagedApp;
import dev.quarkchat.testing.TestCertificates;
import dev.quarkchat.testing.TestTokens;

import io.smallrye.jwt.build.Jwt;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The production build, started as an operator starts it: it needs a real key and issuer, refuses
 * bad configuration with the property's name, and has no dev token route.
 */
class ProductionBuildIT {

    private static final String ISSUER = "https://issuer.production.test";
    private static final Path KEY_FILE = Path.of("target", "production-it-public-key.pem");

    private static KeyPair keys;

    @BeforeAll
    static void writeOperatorKey() throws IOException {
        keys = TestTokens.newKeyPair();
        Files.writeString(KEY_FILE, OperatorKeys.pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    }

    @Test
    void withoutAKeyItRefusesToStartAndSaysWhatToSet() throws Exception {
        try (PackagedApp app =
                PackagedApp.start(
                        "no-key",
                        Map.of(
                                "mp.jwt.verify.issuer",
                                ISSUER,
                                "quarkus.http.insecure-requests",
                                "enabled"))) {
            assertThat(app.awaitExit()).isNotZero();
            assertThat(app.output())
                    .contains("No JWT verification key is configured")
                    .contains("mp.jwt.verify.publickey.location");
        }
    }

    @Test
    void withoutAnIssuerItRefusesToStart() throws Exception {
        try (PackagedApp app =
                PackagedApp.start(
                        "no-issuer",
                        Map.of(
                                "mp.jwt.verify.publickey.location",
                                keyLocation(),
                                "quarkus.http.insecure-requests",
                                "enabled"))) {
            assertThat(app.awaitExit()).isNotZero();
            assertThat(app.output()).contains("mp.jwt.verify.issuer");
        }
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "chat.default-room, Not A Room",
        "chat.default-room, -starts-with-a-dash",
        "chat.max-text-length, 0",
        "chat.max-text-length, 100000",
        "chat.max-text-length, many",
        "chat.max-pending-bytes, 1000",
        "chat.keepalive.pong-timeout, 10s",
        "chat.keepalive.pong-timeout, soon",
        "chat.private-room-pattern, private-(",
        "chat.max-json-depth, 0",
    })
    void badChatSettingsStopItAtStartupNamingTheProperty(String property, String value)
            throws Exception {
        Map<String, String> settings = operatorSettings();
        settings.put(property, value);
        try (PackagedApp app =
                PackagedApp.start(
                        "bad-" + property + "-" + Integer.toHexString(value.hashCode()),
                        settings)) {
            assertThat(app.awaitExit()).isNotZero();
            assertThat(app.output()).contains(property);
        }
    }

    @Test
    void withAnOperatorKeyItServesTheChatAndNoDevTokens() throws Exception {
        try (PackagedApp app =
                PackagedApp.start("operator-key", operatorSettings()).awaitListening()) {
            given().baseUri(app.baseUri().toString())
                    .queryParam("user", "x")
                    .when()
                    .get("/dev/token")
                    .then()
                    .statusCode(404);
            assertThat(ChatClient.rejectedStatus(ChatClient.handshake(app.baseUri())))
                    .isEqualTo(401);

            String token =
                    Jwt.upn("operator-alice").issuer(ISSUER).expiresIn(600).sign(keys.getPrivate());
            try (ChatClient client = ChatClient.connect(app.baseUri(), token)) {
                client.send("lobby", "hello from production", "prod-1");
                assertThat(client.awaitMessage("prod-1").getString("from"))
                        .isEqualTo("operator-alice");
            }
            assertThat(app.output()).doesNotContain(token);
        }
    }

    @Test
    void withoutATlsKeyPairItRefusesToStartUnlessPlainHttpIsAllowed() throws Exception {
        Map<String, String> settings = operatorSettings();
        settings.remove("quarkus.http.insecure-requests");
        try (PackagedApp app = PackagedApp.start("no-tls", settings)) {
            assertThat(app.awaitExit()).isNotZero();
            assertThat(app.output())
                    .contains("No TLS key pair is configured")
                    .contains("QUARKUS_TLS_KEY_STORE_PEM_0_CERT");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "a key as the certificate | CERT=tls.key, KEY=tls.key"
                        + " | environment variable QUARKUS_TLS_KEY_STORE_PEM_0_CERT=%s/tls.key (the service's TLS certificate):"
                        + " it does not hold a PEM certificate.",
                "a directory as the key | CERT=tls.crt, KEY=."
                        + " | environment variable QUARKUS_TLS_KEY_STORE_PEM_0_KEY=%s/. (the private key of the service's TLS"
                        + " certificate): not a regular file.",
                "a certificate without its key | CERT=tls.crt"
                        + " | environment variable QUARKUS_TLS_KEY_STORE_PEM_0_CERT=%s/tls.crt is set, but"
                        + " quarkus.tls.key-store.pem.0.key (environment variable QUARKUS_TLS_KEY_STORE_PEM_0_KEY) is not",
                "a private key to verify tokens | CERT=tls.crt, KEY=tls.key, ISSUER_KEY=tls.key"
                        + " | environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION=%s/tls.key (your token issuer's public key):"
                        + " it does not hold a PEM public key or certificate, or a JWK set.",
            })
    void aWrongKeyOrCertificateFileStopsItNamingTheVariable(
            String name, String files, String message) throws Exception {
        TestCertificates.generate();
        String directory = TestCertificates.CERTIFICATE.getParent().toString();
        Map<String, String> environment =
                new HashMap<>(
                        Map.of(
                                "MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                                keyLocation(),
                                "MP_JWT_VERIFY_ISSUER",
                                ISSUER));
        for (String file : files.split(",", -1)) {
            String[] setting = file.trim().split("=", -1);
            String variable =
                    setting[0].equals("ISSUER_KEY")
                            ? "MP_JWT_VERIFY_PUBLICKEY_LOCATION"
                            : "QUARKUS_TLS_KEY_STORE_PEM_0_" + setting[0];
            environment.put(variable, directory + "/" + setting[1]);
        }
        try (PackagedApp app =
                PackagedApp.startWithEnvironment(
                        "bad-file-" + Integer.toHexString(name.hashCode()),
                        environment,
                        List.of())) {
            assertThat(app.awaitRefusalToStart()).isNotZero();
            assertThat(app.output()).contains(message.formatted(directory)).doesNotContain("\tat ");
        }
    }

    @Test
    void aMissingCertificateGivenAsASystemPropertyIsNamedAsSuch() throws Exception {
        Map<String, String> settings = operatorSettings();
        settings.put("quarkus.tls.key-store.pem.0.cert", "/nonexistent/tls.crt");
        settings.put("quarkus.tls.key-store.pem.0.key", "/nonexistent/tls.key");
        try (PackagedApp app = PackagedApp.start("missing-certificate", settings)) {
            assertThat(app.awaitRefusalToStart()).isNotZero();
            assertThat(app.output())
                    .contains(
                            "system property -Dquarkus.tls.key-store.pem.0.cert=/nonexistent/tls.crt"
                                    + " (the service's TLS certificate): no such file.");
        }
    }

    @Test
    void withATlsKeyPairItServesWssAndTurnsPlainUpgradesAway() throws Exception {
        TestCertificates.generate();
        Map<String, String> settings = operatorSettings();
        settings.remove("quarkus.http.insecure-requests");
        int securePort = LocalProcess.freePort();
        settings.put("quarkus.http.ssl-port", Integer.toString(securePort));
        settings.put("quarkus.tls.key-store.pem.0.cert", TestCertificates.CERTIFICATE.toString());
        settings.put("quarkus.tls.key-store.pem.0.key", TestCertificates.PRIVATE_KEY.toString());
        try (PackagedApp app = PackagedApp.start("tls", settings).awaitListening()) {
            String token = Jwt.upn("secure").issuer(ISSUER).expiresIn(600).sign(keys.getPrivate());
            URI secure = URI.create("https://localhost:" + securePort + "/");
            try (ChatClient client =
                    ChatClient.open(
                            ChatClient.handshake(secure)
                                    .secure(TestCertificates.trustingIt())
                                    .header("Authorization", "Bearer " + token))) {
                client.send("lobby", "hello over wss", "wss-1");
                assertThat(client.awaitMessage("wss-1").getString("from")).isEqualTo("secure");
            }
            assertThat(
                            ChatClient.rejectedStatus(
                                    ChatClient.handshake(app.baseUri())
                                            .header("Authorization", "Bearer " + token)))
                    .isBetween(301, 308);
        }
    }

    @Test
    void byDefaultAnUpgradeWithoutOriginOrFromAnotherSiteIsForbidden() throws Exception {
        Map<String, String> settings = operatorSettings();
        settings.remove("chat.allow-missing-origin");
        try (PackagedApp app = PackagedApp.start("origins", settings).awaitListening()) {
            String token = Jwt.upn("browser").issuer(ISSUER).expiresIn(600).sign(keys.getPrivate());
            ChatClient.Handshake noOrigin =
                    ChatClient.handshake(app.baseUri()).header("Authorization", "Bearer " + token);
            assertThat(ChatClient.rejectedStatus(noOrigin)).isEqualTo(403);
            ChatClient.Handshake elsewhere =
                    ChatClient.handshake(app.baseUri())
                            .header("Authorization", "Bearer " + token)
                            .header("Origin", "https://evil.example");
            assertThat(ChatClient.rejectedStatus(elsewhere)).isEqualTo(403);

            String ownOrigin = "http://" + app.baseUri().getHost() + ":" + app.baseUri().getPort();
            try (ChatClient sameSite =
                    ChatClient.open(
                            ChatClient.handshake(app.baseUri())
                                    .header("Authorization", "Bearer " + token)
                                    .header("Origin", ownOrigin))) {
                sameSite.awaitFrame(frame -> "welcome".equals(frame.getString("type")));
            }
        }
    }

    @Test
    void onSigtermEveryClientGetsGoingAwayAndTheProcessExitsCleanly() throws Exception {
        try (PackagedApp app = PackagedApp.start("sigterm", operatorSettings()).awaitListening()) {
            String token = Jwt.upn("leaving").issuer(ISSUER).expiresIn(600).sign(keys.getPrivate());
            try (ChatClient first = ChatClient.connect(app.baseUri(), token);
                    ChatClient second = ChatClient.connect(app.baseUri(), token)) {
                app.terminate();

                assertThat(first.awaitClose()).isEqualTo(1001);
                assertThat(second.awaitClose()).isEqualTo(1001);
                assertThat(app.awaitExit())
                        .as("exit code: 143 is the JVM's for SIGTERM")
                        .isIn(0, 143);
                assertThat(app.output()).contains("quarkchat stopped in");
            }
        }
    }

    @Test
    void whileItDrainsReadinessIsDownAndNewUpgradesAreRefused() throws Exception {
        Map<String, String> settings = operatorSettings();
        settings.put("quarkus.shutdown.delay", "3s");
        try (PackagedApp app = PackagedApp.start("drain", settings).awaitListening()) {
            String base = app.baseUri().toString();
            given().baseUri(base).when().get("/q/health/ready").then().statusCode(200);
            String token = Jwt.upn("drained").issuer(ISSUER).expiresIn(600).sign(keys.getPrivate());
            try (ChatClient client = ChatClient.connect(app.baseUri(), token)) {
                app.terminate();

                assertThat(client.awaitClose()).isEqualTo(1001);
                app.awaitReadiness(503);
                assertThat(
                                ChatClient.rejectedStatus(
                                        ChatClient.handshake(app.baseUri())
                                                .header("Authorization", "Bearer " + token)))
                        .isEqualTo(503);
                assertThat(app.awaitExit()).isIn(0, 143);
            }
        }
    }

    private static Map<String, String> operatorSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("mp.jwt.verify.publickey.location", keyLocation());
        settings.put("mp.jwt.verify.issuer", ISSUER);
        settings.put("chat.allow-missing-origin", "true");
        settings.put("quarkus.http.insecure-requests", "enabled");
        return settings;
    }

    private static String keyLocation() {
        return KEY_FILE.toAbsolutePath().toString();
    }
}

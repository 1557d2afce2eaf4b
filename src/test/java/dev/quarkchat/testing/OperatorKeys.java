package dev.quarkchat.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * For tests of the packaged application (jar or native executable), which runs the production
 * profile: a key pair generated at test time, its public key handed to the service as an operator
 * would, and tokens signed with its private key. Also short keepalive settings, so a dead socket is
 * dropped within seconds.
 */
public class OperatorKeys implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://issuer.integration.test";
    public static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    public static final Duration PONG_TIMEOUT = Duration.ofSeconds(2);
    private static final Path DIRECTORY = Path.of("target", "operator-keys");
    private static final Path PUBLIC_KEY = DIRECTORY.resolve("public-key.pem");
    private static final Path PRIVATE_KEY = DIRECTORY.resolve("private-key.pem");
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);

    @Override
    public Map<String, String> start() {
        KeyPair keys = TestTokens.newKeyPair();
        try {
            Files.createDirectories(DIRECTORY);
            Files.writeString(PUBLIC_KEY, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
            Files.writeString(PRIVATE_KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mp.jwt.verify.publickey.location",
                PUBLIC_KEY.toAbsolutePath().toString(),
                "mp.jwt.verify.issuer",
                ISSUER,
                "quarkus.websockets-next.server.auto-ping-interval",
                PING_INTERVAL.toMillis() + "ms",
                "chat.keepalive.pong-timeout",
                PONG_TIMEOUT.toMillis() + "ms",
                // The test clients, like most non-browser clients, send no Origin.
                "chat.allow-missing-origin",
                "true",
                // Plain HTTP, as behind a TLS-terminating ingress (TlsTest and ProductionBuildIT
                // cover wss://).
                "quarkus.http.insecure-requests",
                "enabled");
    }

    @Override
    public void stop() {
        // The key files stay under target/ for whoever wants to look; nothing runs.
    }

    /** A token the packaged service accepts. */
    public static String token(String user) {
        return Jwt.upn(user).issuer(ISSUER).expiresIn(TOKEN_LIFETIME).sign(privateKey());
    }

    /** A service token for the packaged service's server API (group {@code chat-admin}). */
    public static String serviceToken(String user) {
        return Jwt.upn(user)
                .issuer(ISSUER)
                .groups("chat-admin")
                .expiresIn(TOKEN_LIFETIME)
                .sign(privateKey());
    }

    private static PrivateKey privateKey() {
        try {
            return KeyUtils.decodePrivateKey(Files.readString(PRIVATE_KEY));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "No operator key under " + DIRECTORY + ": is the test resource active?", e);
        }
    }

    /** PEM text of a DER-encoded key. */
    public static String pem(String label, byte[] der) {
        return "-----BEGIN "
                + label
                + "-----\n"
                + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END "
                + label
                + "-----\n";
    }
}

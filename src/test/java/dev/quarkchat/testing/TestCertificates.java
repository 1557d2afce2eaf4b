package dev.quarkchat.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS certificate for localhost, made at test time with the JDK's keytool (none is committed),
 * written as PEM files the way Kubernetes mounts a TLS secret, and handed to the service as an
 * operator would. Clients trust exactly this certificate.
 */
public class TestCertificates implements QuarkusTestResourceLifecycleManager {

    private static final Path DIRECTORY = Path.of("target", "test-tls").toAbsolutePath();
    private static final Path KEY_STORE = DIRECTORY.resolve("server.p12");
    public static final Path CERTIFICATE = DIRECTORY.resolve("tls.crt");
    public static final Path PRIVATE_KEY = DIRECTORY.resolve("tls.key");

    /** Only guards the throw-away keystore keytool insists on; the service reads the PEM files. */
    private static final char[] STORE_PASSWORD = "test-only".toCharArray();

    private static final String ALIAS = "server";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    @Override
    public Map<String, String> start() {
        generate();
        return Map.of(
                "quarkus.tls.key-store.pem.0.cert", CERTIFICATE.toString(),
                "quarkus.tls.key-store.pem.0.key", PRIVATE_KEY.toString(),
                "quarkus.http.insecure-requests", "redirect");
    }

    @Override
    public void stop() {
        // The files stay under target/; nothing runs.
    }

    /** Makes the certificate and its key, once per test run. */
    public static synchronized void generate() {
        if (Files.exists(CERTIFICATE) && Files.exists(PRIVATE_KEY)) {
            return;
        }
        try {
            Files.createDirectories(DIRECTORY);
            Files.deleteIfExists(KEY_STORE);
            Process keytool =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "keytool")
                                            .toString(),
                                    "-genkeypair",
                                    "-alias",
                                    ALIAS,
                                    "-keyalg",
                                    "RSA",
                                    "-keysize",
                                    "2048",
                                    "-validity",
                                    "2",
                                    "-dname",
                                    "CN=localhost",
                                    "-ext",
                                    "SAN=dns:localhost,ip:127.0.0.1",
                                    "-storetype",
                                    "PKCS12",
                                    "-keystore",
                                    KEY_STORE.toString(),
                                    "-storepass",
                                    new String(STORE_PASSWORD),
                                    "-keypass",
                                    new String(STORE_PASSWORD))
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = keyStore();
            Files.writeString(
                    PRIVATE_KEY,
                    OperatorKeys.pem(
                            "PRIVATE KEY", store.getKey(ALIAS, STORE_PASSWORD).getEncoded()));
            Files.writeString(
                    CERTIFICATE,
                    OperatorKeys.pem("CERTIFICATE", store.getCertificate(ALIAS).getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that trusts this certificate and nothing else. */
    public static SSLContext trustingIt() {
        generate();
        try {
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore() throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEY_STORE)) {
            store.load(in, STORE_PASSWORD);
        }
        return store;
    }
}

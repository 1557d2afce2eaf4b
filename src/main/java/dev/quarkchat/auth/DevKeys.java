package dev.quarkchat.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An RSA key pair for development and tests only, as PEM text: the public key verifies tokens, the
 * private key signs the tokens that {@code /dev/token} hands out. It is generated on the machine
 * that runs the service, never committed, and never used by a production build.
 */
record DevKeys(String publicKeyPem, String privateKeyPem) {

    private static final String ALGORITHM = "RSA";
    private static final int KEY_SIZE_BITS = 2048;
    private static final int PEM_LINE_LENGTH = 64;
    private static final String PUBLIC_KEY_FILE = "public-key.pem";
    private static final String PRIVATE_KEY_FILE = "private-key.pem";

    /** A fresh pair that lives only in this process (tests). */
    static DevKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(KEY_SIZE_BITS);
            KeyPair pair = generator.generateKeyPair();
            return new DevKeys(
                    pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("Every Java runtime ships RSA", impossible);
        }
    }

    /**
     * The pair kept in {@code directory}, made there on first use, so that dev tokens stay valid
     * across live reloads and restarts of dev mode.
     */
    static DevKeys loadOrCreate(Path directory) {
        Path publicKey = directory.resolve(PUBLIC_KEY_FILE);
        Path privateKey = directory.resolve(PRIVATE_KEY_FILE);
        try {
            if (Files.isRegularFile(publicKey) && Files.isRegularFile(privateKey)) {
                return new DevKeys(Files.readString(publicKey), Files.readString(privateKey));
            }
            DevKeys keys = generate();
            Files.createDirectories(directory);
            Files.writeString(publicKey, keys.publicKeyPem());
            Files.writeString(privateKey, keys.privateKeyPem());
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot keep the dev JWT keys in " + directory.toAbsolutePath(), e);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(PEM_LINE_LENGTH, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}

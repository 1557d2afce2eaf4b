package dev.quarkchat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * A key pair made for one benchmark run: the server gets its public key as an operator would give
 * it, and the generator signs one RS256 token per user with the private key.
 */
final class Tokens {

    static final String ISSUER = "https://issuer.bench.test";
    private static final int RSA_BITS = 2048;
    private static final long LIFETIME_SECONDS = 3600;
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;

    private Tokens(KeyPair keys) {
        this.keys = keys;
    }

    static Tokens generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS);
        return new Tokens(generator.generateKeyPair());
    }

    /** Writes the public key as PEM, for {@code mp.jwt.verify.publickey.location}. */
    Path writePublicKey(Path file) throws IOException {
        String pem =
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
        Files.createDirectories(file.getParent());
        return Files.writeString(file, pem);
    }

    String sign(String user) {
        long now = Instant.now().getEpochSecond();
        String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String claims =
                encode(
                        "{\"iss\":\""
                                + ISSUER
                                + "\",\"upn\":\""
                                + user
                                + "\",\"iat\":"
                                + now
                                + ",\"exp\":"
                                + (now + LIFETIME_SECONDS)
                                + "}");
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

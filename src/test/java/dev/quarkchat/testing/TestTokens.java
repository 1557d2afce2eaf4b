package dev.quarkchat.testing;

import dev.quarkchat.auth.TokenClaims;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Real RS256 tokens for tests, signed with the key pair generated for this test run (and, for the
 * rejection cases, with keys and claims the server must refuse).
 */
public final class TestTokens {

    private static final Duration LIFETIME = Duration.ofMinutes(10);

    /** Well past the verifier's default 60 s clock skew allowance. */
    private static final Duration LONG_AGO = Duration.ofHours(1);

    private TestTokens() {}

    public static String issuer() {
        return ConfigProvider.getConfig().getValue("mp.jwt.verify.issuer", String.class);
    }

    public static String valid(String user) {
        return Jwt.upn(user).issuer(issuer()).expiresIn(LIFETIME).sign();
    }

    /**
     * A valid token whose {@code groups} hold the admin group: it may delete any message and call
     * the server API.
     */
    public static String admin(String user) {
        return Jwt.upn(user)
                .groups(TokenClaims.ADMIN_GROUP)
                .issuer(issuer())
                .expiresIn(LIFETIME)
                .sign();
    }

    public static String signedWithAnotherKey(String user) {
        return Jwt.upn(user).issuer(issuer()).expiresIn(LIFETIME).sign(newKeyPair().getPrivate());
    }

    public static String expired(String user) {
        Instant now = Instant.now();
        return Jwt.upn(user)
                .issuer(issuer())
                .issuedAt(now.minus(LONG_AGO.multipliedBy(2)))
                .expiresAt(now.minus(LONG_AGO))
                .sign();
    }

    public static String fromAnotherIssuer(String user) {
        return Jwt.upn(user).issuer("https://attacker.example").expiresIn(LIFETIME).sign();
    }

    /** {@code alg: none}: the right issuer and claims, and no signature at all. */
    public static String unsigned(String user) {
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String claims =
                base64(
                        "{\"iss\":\""
                                + issuer()
                                + "\",\"upn\":\""
                                + user
                                + "\",\"exp\":"
                                + Instant.now().plus(LIFETIME).getEpochSecond()
                                + "}");
        return header + "." + claims + ".";
    }

    /**
     * Signed with the right key by the right issuer, but with no {@code exp}: a token that never
     * expires.
     */
    public static String withoutExpiry(String user) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setClaim("upn", user);
        claims.setIssuedAtToNow();
        return signed(claims);
    }

    /**
     * Exactly these claims, signed with the test key: for tokens SmallRye's builder refuses to
     * make.
     */
    public static String signed(JwtClaims claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKey(signingKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey signingKey() {
        String pem = ConfigProvider.getConfig().getValue("smallrye.jwt.sign.key", String.class);
        try {
            return KeyUtils.decodePrivateKey(pem);
        } catch (Exception e) {
            throw new IllegalStateException("The test signing key is not a PEM private key", e);
        }
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

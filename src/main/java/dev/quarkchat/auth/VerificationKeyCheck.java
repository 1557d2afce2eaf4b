package dev.quarkchat.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Locale;

/**
 * Refuses to start without a way to verify tokens. Without this, a service with no key, or with a
 * key file it cannot read, would accept no one and say so only in a log line per refused handshake.
 */
@ApplicationScoped
class VerificationKeyCheck {

    private static final String INLINE_KEY = "mp.jwt.verify.publickey";
    private static final String KEY_LOCATION = "mp.jwt.verify.publickey.location";
    private static final String ISSUER = "mp.jwt.verify.issuer";

    void onStart(@Observes StartupEvent event, SmallRyeConfig config) {
        ConfigValue location = config.getConfigValue(KEY_LOCATION);
        if (config.getOptionalValue(INLINE_KEY, String.class).isEmpty()
                && location.getValue() == null) {
            throw new ConfigurationException(
                    "No JWT verification key is configured. Set "
                            + KEY_LOCATION
                            + " (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION) to the PEM or JWK file of your token"
                            + " issuer's public key; see docs/security.md.");
        }
        if (location.getValue() != null && isLocalFile(location.getValue())) {
            OperatorFile.require(
                    location.withValue(location.getValue().replaceFirst("^file:", "")),
                    "your token issuer's public key",
                    OperatorFile.Kind.VERIFICATION_KEY);
        }
        if (config.getOptionalValue(ISSUER, String.class).isEmpty()) {
            throw new ConfigurationException(
                    "No JWT issuer is configured. Set "
                            + ISSUER
                            + " (environment variable"
                            + " MP_JWT_VERIFY_ISSUER) to the 'iss' claim your tokens carry; see docs/security.md.");
        }
    }

    /**
     * SmallRye JWT also reads keys from the class path and from URLs; only a file can be checked
     * here.
     */
    private static boolean isLocalFile(String location) {
        String lowerCase = location.toLowerCase(Locale.ROOT);
        return !lowerCase.startsWith("classpath:")
                && !lowerCase.startsWith("http:")
                && !lowerCase.startsWith("https:");
    }
}

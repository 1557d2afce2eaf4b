package dev.quarkchat.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Refuses to start without a way to verify tokens. Without this, a service with no key would accept no one
 * and say so only in a log line per refused handshake.
 */
@ApplicationScoped
class VerificationKeyCheck {

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inlineKey,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer) {
        if (inlineKey.isEmpty() && keyLocation.isEmpty()) {
            throw new ConfigurationException("No JWT verification key is configured. Set mp.jwt.verify.publickey.location"
                    + " (environment variable MP_JWT_VERIFY_PUBLICKEY_LOCATION) to the PEM or JWK file of your token"
                    + " issuer's public key; see the README, section Configuration.");
        }
        if (issuer.isEmpty()) {
            throw new ConfigurationException("No JWT issuer is configured. Set mp.jwt.verify.issuer (environment variable"
                    + " MP_JWT_VERIFY_ISSUER) to the 'iss' claim your tokens carry; see the README, section Configuration.");
        }
    }
}

package dev.quarkchat.auth;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.tls.TlsConfigurationRegistry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Production serves wss:// only: plain HTTP is redirected ({@code
 * quarkus.http.insecure-requests=redirect}), so without a TLS key pair nobody could connect. Rather
 * than start like that, the service refuses to start and says what to set. Where TLS ends in front
 * of the service (an ingress on a trusted network), {@code quarkus.http.insecure-requests=enabled}
 * says so.
 */
@ApplicationScoped
class TlsRequirement {

    private static final String PLAIN_HTTP_ALLOWED = "enabled";

    void onStart(
            @Observes StartupEvent event,
            TlsConfigurationRegistry tls,
            @ConfigProperty(name = "quarkus.http.insecure-requests")
                    Optional<String> insecureRequests) {
        boolean hasKeyPair =
                tls.getDefault()
                        .map(configuration -> configuration.getKeyStore() != null)
                        .orElse(false);
        boolean plainHttpServes =
                insecureRequests.map(PLAIN_HTTP_ALLOWED::equalsIgnoreCase).orElse(true);
        if (!hasKeyPair && !plainHttpServes) {
            throw new ConfigurationException(
                    "No TLS key pair is configured, and plain HTTP is "
                            + insecureRequests.get()
                            + ". Set quarkus.tls.key-store.pem.0.cert and quarkus.tls.key-store.pem.0.key"
                            + " (environment variables QUARKUS_TLS_KEY_STORE_PEM_0_CERT and QUARKUS_TLS_KEY_STORE_PEM_0_KEY) to"
                            + " the PEM files of the service's certificate and key, or, if TLS ends in front of the service,"
                            + " quarkus.http.insecure-requests=enabled; see docs/security.md.");
        }
    }
}

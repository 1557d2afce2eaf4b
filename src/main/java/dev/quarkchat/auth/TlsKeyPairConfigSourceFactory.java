package dev.quarkchat.auth;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the service's TLS key pair settable through the environment, and checks its files before
 * anything reads them.
 *
 * <p>{@code quarkus.tls.key-store.pem.0.cert} sits in a map whose keys (the {@code 0}) Quarkus
 * learns from the property names of its configuration sources. An environment variable's name does
 * not tell where the map key ends ({@code QUARKUS_TLS_KEY_STORE_PEM_0_CERT}), so Quarkus ignores it
 * unless another source names the property: the production TLS set-up the documentation and {@code
 * k8s/} give would start without TLS. This source names the two properties, with the values the
 * environment (or any other source) gives them.
 */
public class TlsKeyPairConfigSourceFactory implements ConfigSourceFactory {

    static final String CERTIFICATE = "quarkus.tls.key-store.pem.0.cert";
    static final String PRIVATE_KEY = "quarkus.tls.key-store.pem.0.key";

    /**
     * Between application.properties (250) and the environment (300): it only repeats what they
     * resolve to.
     */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue certificate = context.getValue(CERTIFICATE);
        ConfigValue key = context.getValue(PRIVATE_KEY);
        if (isSet(certificate) != isSet(key)) {
            ConfigValue given = isSet(certificate) ? certificate : key;
            String missing = isSet(certificate) ? PRIVATE_KEY : CERTIFICATE;
            throw new ConfigurationException(
                    OperatorFile.describe(given)
                            + " is set, but "
                            + missing
                            + " (environment"
                            + " variable "
                            + OperatorFile.environmentName(missing)
                            + ") is not: the service needs both the"
                            + " certificate and its private key.");
        }
        if (!isSet(certificate)) {
            return List.of();
        }
        OperatorFile.require(
                certificate, "the service's TLS certificate", OperatorFile.Kind.CERTIFICATE);
        OperatorFile.require(
                key,
                "the private key of the service's TLS certificate",
                OperatorFile.Kind.PRIVATE_KEY);
        Map<String, String> keyPair = new LinkedHashMap<>();
        keyPair.put(CERTIFICATE, certificate.getValue());
        keyPair.put(PRIVATE_KEY, key.getValue());
        return List.of(
                new PropertiesConfigSource(
                        keyPair, "TLS key pair (" + certificate.getSourceName() + ")", ORDINAL));
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}

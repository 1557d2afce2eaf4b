package dev.quarkchat.auth;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A file an operator points a setting at (the token issuer's key, the TLS certificate and key),
 * checked at startup. A wrong path, a file the service may not read or the wrong kind of file stops
 * the service with a message that names the setting the way the operator gave it (an environment
 * variable, a system property or a properties file) and says what is wrong, instead of a stack
 * trace later or every handshake refused.
 */
final class OperatorFile {

    /** What a file must hold. */
    enum Kind {
        CERTIFICATE("a PEM certificate", List.of("-----BEGIN CERTIFICATE-----"), false),
        PRIVATE_KEY(
                "a PEM private key",
                List.of(
                        "-----BEGIN PRIVATE KEY-----",
                        "-----BEGIN RSA PRIVATE KEY-----",
                        "-----BEGIN EC PRIVATE KEY-----",
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----"),
                false),
        /**
         * What SmallRye JWT reads from {@code mp.jwt.verify.publickey.location}: PEM, or a JWK
         * (set) in JSON.
         */
        VERIFICATION_KEY(
                "a PEM public key or certificate, or a JWK set",
                List.of("-----BEGIN PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----"),
                true);

        private final String description;

        @SuppressWarnings(
                "ImmutableEnumChecker") // List.of: unmodifiable, though its type does not say so
        private final List<String> pemHeaders;

        private final boolean jsonAllowed;

        Kind(String description, List<String> pemHeaders, boolean jsonAllowed) {
            this.description = description;
            this.pemHeaders = pemHeaders;
            this.jsonAllowed = jsonAllowed;
        }

        boolean matches(String text) {
            return pemHeaders.stream().anyMatch(text::contains)
                    || (jsonAllowed && text.stripLeading().startsWith("{"));
        }
    }

    /**
     * Far larger than any key or certificate chain: a bigger file is not what the setting wants.
     */
    private static final long MAX_SIZE = 1024 * 1024;

    private OperatorFile() {}

    /**
     * Fails unless the setting names a readable file of the given kind.
     *
     * @param setting the setting as the configuration resolved it
     * @param purpose what the file is for, for the message ("the service's TLS certificate")
     */
    static void require(ConfigValue setting, String purpose, Kind kind) {
        problemWith(Path.of(setting.getValue()), kind)
                .ifPresent(
                        problem -> {
                            throw new ConfigurationException(
                                    describe(setting) + " (" + purpose + "): " + problem + ".");
                        });
    }

    /**
     * The setting as the operator gave it: {@code QUARKUS_X=value}, {@code -Dquarkus.x=value}, or
     * the property and its file.
     */
    static String describe(ConfigValue setting) {
        String source = String.valueOf(setting.getSourceName());
        if (source.startsWith("EnvConfigSource")) {
            return "environment variable "
                    + environmentName(setting.getName())
                    + "="
                    + setting.getValue();
        }
        if (source.startsWith("SysPropConfigSource")) {
            return "system property -D" + setting.getName() + "=" + setting.getValue();
        }
        return setting.getName() + "=" + setting.getValue() + " (from " + source + ")";
    }

    /**
     * SmallRye Config's rule: upper case, every character but letters and digits becomes an
     * underscore.
     */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Optional<String> problemWith(Path file, Kind kind) {
        if (!Files.exists(file)) {
            return Optional.of(
                    file.isAbsolute()
                            ? "no such file"
                            : "no such file (relative to " + Path.of("").toAbsolutePath() + ")");
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("not a regular file");
        }
        if (!Files.isReadable(file)) {
            return Optional.of(
                    "this process (user " + System.getProperty("user.name") + ") may not read it");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_SIZE) {
                return Optional.of(
                        "it has "
                                + size
                                + " bytes, far more than "
                                + kind.description
                                + " can have");
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
            return kind.matches(text)
                    ? Optional.empty()
                    : Optional.of("it does not hold " + kind.description);
        } catch (IOException e) {
            return Optional.of("it cannot be read (" + e.getMessage() + ")");
        }
    }
}

package dev.quarkchat.auth;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Supplies JWT keys in the {@code dev} and {@code test} profiles, so that {@code ./mvnw
 * quarkus:dev} and the tests need no key set-up. Dev mode keeps its pair under {@code
 * target/dev-keys}; each test run makes a new one in memory. In any other profile it supplies
 * nothing, and the operator's key is required.
 */
public class DevKeysConfigSourceFactory implements ConfigSourceFactory {

    static final Path DEV_KEY_DIRECTORY = Path.of("target", "dev-keys");

    /** Below application.properties (250), so that explicit configuration always wins. */
    private static final int ORDINAL = 200;

    /** One pair per test JVM: the verifier and the tests' token minting must see the same keys. */
    private static DevKeys testKeys;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        DevKeys keys;
        if (profiles.contains("dev")) {
            keys = DevKeys.loadOrCreate(DEV_KEY_DIRECTORY);
        } else if (profiles.contains("test")) {
            keys = testKeys();
        } else {
            return List.of();
        }
        return List.of(
                new PropertiesConfigSource(
                        Map.of(
                                "mp.jwt.verify.publickey", keys.publicKeyPem(),
                                "smallrye.jwt.sign.key", keys.privateKeyPem()),
                        "dev/test JWT keys",
                        ORDINAL));
    }

    private static synchronized DevKeys testKeys() {
        if (testKeys == null) {
            testKeys = DevKeys.generate();
        }
        return testKeys;
    }
}

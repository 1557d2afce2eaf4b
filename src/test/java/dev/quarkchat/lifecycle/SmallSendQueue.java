package dev.quarkchat.lifecycle;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The smallest allowed outbound queue per connection (a dozen or so large messages), so that a
 * reader that stops reading is caught after little data, long before the keepalive would notice it.
 */
public class SmallSendQueue implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("chat.max-pending-bytes", "65536");
    }
}

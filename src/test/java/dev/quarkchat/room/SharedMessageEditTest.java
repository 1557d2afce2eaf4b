package dev.quarkchat.room;

import dev.quarkchat.testing.RedisBackplane;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@link MessageEditTest}, with the rooms shared through Redis, whose log is read directly. */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class SharedMessageEditTest extends MessageEditTest {

    @Override
    protected List<String> stored(String room) {
        List<String> stored = new ArrayList<>();
        for (String key : redis("--raw", "KEYS", "*{" + room + "}:*")) {
            if (key.endsWith(":log")) {
                stored.addAll(redis("--raw", "XRANGE", key, "-", "+"));
            }
        }
        return stored;
    }

    /** The lines redis-cli prints for one command to the test's Redis. */
    private static List<String> redis(String... command) {
        List<String> line =
                new ArrayList<>(List.of("redis-cli", "-u", RedisBackplane.Server.redis().uri()));
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("redis-cli failed: " + output);
            }
            return output.lines().filter(text -> !text.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

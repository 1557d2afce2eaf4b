package dev.quarkchat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packages' dependencies point one way: from the socket endpoint down through auth and
 * lifecycle to the rooms, the sessions, the engines, and the leaves every layer may use. A package
 * may import only packages below it (and the Redis engine the engine interfaces it implements), so
 * there is no cycle.
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "quarkchat");
    private static final Pattern IMPORT =
            Pattern.compile(
                    "^import (?:static )?dev\\.quarkchat\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);

    /** Each package's place, highest first; equal places may not import each other. */
    private static final Map<String, Integer> LAYER =
            Map.ofEntries(
                    Map.entry("endpoint", 10),
                    Map.entry("api", 10),
                    Map.entry("auth", 9),
                    Map.entry("lifecycle", 8),
                    Map.entry("moderation", 8),
                    Map.entry("room", 7),
                    Map.entry("session", 6),
                    Map.entry("engine.redis", 5),
                    Map.entry("engine.postgres", 5),
                    Map.entry("engine", 4),
                    Map.entry("transport", 3),
                    Map.entry("metrics", 2),
                    Map.entry("config", 2),
                    Map.entry("scheduling", 2),
                    Map.entry("protocol", 1));

    @Test
    void everyPackageHasAPlace() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            assertThat(
                            files.filter(Files::isDirectory)
                                    .filter(directory -> !directory.equals(SOURCES))
                                    .map(PackageDependenciesTest::packageOf)
                                    .toList())
                    .allMatch(LAYER::containsKey, "listed in LAYER");
        }
    }

    @Test
    void importsPointOnlyDownwards() throws IOException {
        List<String> upwards = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(file -> file.toString().endsWith(".java"))
                    .forEach(
                            file -> {
                                String from = packageOf(file.getParent());
                                Matcher imported = IMPORT.matcher(read(file));
                                while (imported.find()) {
                                    String to = imported.group(1);
                                    if (!to.equals(from)
                                            && LAYER.getOrDefault(to, 0)
                                                    >= LAYER.getOrDefault(from, 0)) {
                                        upwards.add(SOURCES.relativize(file) + " imports " + to);
                                    }
                                }
                            });
        }
        assertThat(new TreeSet<>(upwards)).isEmpty();
    }

    private static String packageOf(Path directory) {
        return SOURCES.relativize(directory).toString().replace('/', '.');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

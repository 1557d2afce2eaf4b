package dev.quarkchat.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process_resident_memory_bytes}: the memory the process really holds (RSS), JVM or native
 * alike, which the JVM's own memory pools do not show (thread stacks, Netty's direct buffers,
 * native image heap). Read from {@code /proc/self/status} at each scrape; on a system without it
 * the gauge is absent.
 */
@ApplicationScoped
class ResidentMemoryGauge {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String RSS_FIELD = "VmRSS:";
    private static final long BYTES_PER_KIB = 1024;

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        if (Files.isReadable(STATUS)) {
            // A /proc read is served from kernel memory: cheap enough for the scrape's thread.
            Gauge.builder("process.resident.memory", ResidentMemoryGauge::residentBytes)
                    .baseUnit("bytes")
                    .description("Resident set size of the process")
                    .register(registry);
        }
    }

    private static double residentBytes() {
        try {
            return Files.readAllLines(STATUS).stream()
                    .filter(line -> line.startsWith(RSS_FIELD))
                    .findFirst()
                    .map(
                            line ->
                                    Long.parseLong(
                                                    line.substring(RSS_FIELD.length())
                                                            .replace("kB", "")
                                                            .trim())
                                            * BYTES_PER_KIB)
                    .orElse(-1L);
        } catch (IOException | NumberFormatException unreadable) {
            return Double.NaN;
        }
    }
}

package dev.quarkchat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Holds a server to a fixed share of one core with the cgroup-v1 {@code cpu} controller (writable
 * as root here), so that its capacity shows instead of the generator's. The same quota for every
 * server of a run.
 */
final class CpuQuota {

    private static final Path CPU_CONTROLLER = Path.of("/sys/fs/cgroup/cpu");
    private static final long PERIOD_MICROS = 100_000;

    /** What cpu.cfs_quota_us takes for "no limit". */
    private static final String UNLIMITED = "-1";

    private final Path group;
    private final long quotaMicros;

    /** A quota lifted for a while; closing it puts the quota back. */
    interface Lifted extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private CpuQuota(Path group, long quotaMicros) {
        this.group = group;
        this.quotaMicros = quotaMicros;
    }

    /**
     * A cgroup limited to {@code percentOfOneCore}; empty (with a message) where the controller
     * cannot be written, and the run goes on without a quota.
     */
    static Optional<CpuQuota> create(String name, int percentOfOneCore) {
        Path group = CPU_CONTROLLER.resolve(name);
        try {
            Files.createDirectories(group);
            Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_MICROS));
            long quotaMicros = PERIOD_MICROS * percentOfOneCore / 100;
            Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros));
            return Optional.of(new CpuQuota(group, quotaMicros));
        } catch (IOException e) {
            System.err.println("No CPU quota (" + e + "): servers run on a whole core");
            return Optional.empty();
        }
    }

    /** Moves a process (all its threads) into the group. */
    void add(long pid) throws IOException {
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid));
    }

    /** Lets the group's processes use their whole core until the returned handle is closed. */
    Lifted lift() throws IOException {
        Files.writeString(group.resolve("cpu.cfs_quota_us"), UNLIMITED);
        return () ->
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros));
    }
}

package dev.quarkchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from {@code /proc}. */
final class ProcessStats {

    /** Linux' USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    private static final int UTIME_FIELD = 13;
    private static final int STIME_FIELD = 14;
    private static final int KIB = 1024;

    private ProcessStats() {}

    /** User plus system CPU seconds the process has used (all its threads). */
    private static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
        long ticks =
                Long.parseLong(fields[UTIME_FIELD - 2]) + Long.parseLong(fields[STIME_FIELD - 2]);
        return ticks / TICKS_PER_SECOND;
    }

    /** CPU use of a server and of this generator from a point on, in percent of one core. */
    record CpuUse(long serverPid, double serverSecondsAtStart, double generatorSecondsAtStart) {

        static CpuUse from(long serverPid) {
            return new CpuUse(
                    serverPid, cpuSeconds(serverPid), cpuSeconds(ProcessHandle.current().pid()));
        }

        double serverPercent(double overSeconds) {
            return 100 * (cpuSeconds(serverPid) - serverSecondsAtStart) / overSeconds;
        }

        double generatorPercent(double overSeconds) {
            return 100
                    * (cpuSeconds(ProcessHandle.current().pid()) - generatorSecondsAtStart)
                    / overSeconds;
        }
    }

    /** Resident set size in bytes. */
    static long residentBytes(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"))
                .lines()
                .filter(line -> line.startsWith("VmRSS:"))
                .findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * KIB)
                .orElseThrow(() -> new IllegalStateException("No VmRSS for process " + pid));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.quarkchat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU time and resident memory of a process, read from {@code /proc}. */
final class ProcessStats {

    /** Linux' USER_HZ: /proc/PID/stat counts CPU time in these ticks. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** Fields of /proc/PID/stat, counted from 0. */
    private static final int PPID_FIELD = 3;

    private static final int UTIME_FIELD = 13;
    private static final int STIME_FIELD = 14;

    /** Time of the process' children that have ended and been waited for. */
    private static final int CUTIME_FIELD = 15;

    private static final int CSTIME_FIELD = 16;
    private static final int KIB = 1024;

    private ProcessStats() {}

    /** User plus system CPU seconds the process has used (all its threads). */
    static double cpuSeconds(long pid) {
        String[] fields = statFields(read(Path.of("/proc", Long.toString(pid), "stat")));
        return (field(fields, UTIME_FIELD) + field(fields, STIME_FIELD)) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds of a process and its children, those that have ended included (a server of one
     * process per connection, such as PostgreSQL).
     */
    static double cpuSecondsWithChildren(long pid) {
        String[] own = statFields(read(Path.of("/proc", Long.toString(pid), "stat")));
        long ticks =
                field(own, UTIME_FIELD)
                        + field(own, STIME_FIELD)
                        + field(own, CUTIME_FIELD)
                        + field(own, CSTIME_FIELD);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String[] fields = statFields(stat);
                if (field(fields, PPID_FIELD) == pid) {
                    ticks += field(fields, UTIME_FIELD) + field(fields, STIME_FIELD);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * The fields of a /proc/PID/stat from the third on. The command name (field 1) may hold spaces:
     * fields are counted after its closing parenthesis.
     */
    private static String[] statFields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
    }

    private static long field(String[] fields, int field) {
        return Long.parseLong(fields[field - 2]);
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

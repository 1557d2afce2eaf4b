package dev.quarkchat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What tests that start servers as separate processes share: a free port, and a stop that always
 * ends.
 */
public final class LocalProcess {

    private LocalProcess() {}

    /** A TCP port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asks the process to stop (SIGTERM) and kills it if it has not within {@code grace}.
     * Interrupted, it kills the process at once and keeps the interrupt for the caller: a close()
     * that throws it would hide it in try blocks.
     */
    static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package dev.quarkchat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP connection to the service that has not made its request, or not all of it: the slow and
 * idle clients that hold sockets without ever showing a token. It can come from another loopback
 * address than the tests' own (Linux routes all of 127.0.0.0/8 to the loopback interface), so that
 * per-address limits can be tried on it without touching the other clients of the test.
 */
public final class PendingSocket implements AutoCloseable {

    private static final int ANY_PORT = 0;

    private final Socket socket;
    private final URI base;
    private final ScheduledExecutorService dripper = Executors.newSingleThreadScheduledExecutor();

    private PendingSocket(Socket socket, URI base) {
        this.socket = socket;
        this.base = base;
    }

    /**
     * Connects from {@code localAddress} (such as {@code 127.0.0.2}) to the service at {@code
     * base}; sends nothing. The tests' own clients come from 127.0.0.1; attackers from elsewhere in
     * 127.0.0.0/8.
     */
    public static PendingSocket open(URI base, String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, ANY_PORT));
        socket.connect(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()),
                (int) ChatClient.TIMEOUT.toMillis());
        return new PendingSocket(socket, base);
    }

    /** Writes the first lines of an upgrade request head, and no end. */
    public void startRequestHead() throws IOException {
        write("GET /chat HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n");
    }

    /** Writes text as ASCII, at once. */
    public void write(String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * From now on writes one more header line every {@code interval}, so that the connection is
     * never idle for long while its head never ends; stops once the server has hung up.
     */
    @SuppressWarnings(
            "FutureReturnValueIgnored") // the repetition ends itself on hang-up, or with close()
    public void dripHeaderLines(Duration interval) {
        AtomicInteger line = new AtomicInteger();
        dripper.scheduleAtFixedRate(
                () -> {
                    try {
                        write("X-Drip-" + line.incrementAndGet() + ": still typing\r\n");
                    } catch (IOException hungUp) {
                        // Thrown out of the task, it ends the repetition.
                        throw new IllegalStateException(hungUp);
                    }
                },
                interval.toMillis(),
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Reads until the server ends the connection, waiting at most {@code within} for each read.
     *
     * @return what the server sent before it ended the connection
     * @throws SocketTimeoutException if the connection is still open after {@code within} of
     *     silence
     */
    public String readUntilClosed(Duration within) throws IOException {
        socket.setSoTimeout(Math.toIntExact(within.toMillis()));
        InputStream in = socket.getInputStream();
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                received.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
            }
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (SocketException reset) {
            // A reset ends the connection as well as a FIN does.
        }
        return received.toString();
    }

    /**
     * Reads one HTTP response head and its body (by Content-Length), leaving the connection open.
     */
    public String readResponse() throws IOException {
        socket.setSoTimeout(Math.toIntExact(ChatClient.TIMEOUT.toMillis()));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("Closed after " + head);
            }
            head.append((char) next);
        }
        int length =
                head.toString()
                        .lines()
                        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                        .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
                        .findFirst()
                        .orElse(0);
        byte[] body = in.readNBytes(length);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        dripper.shutdownNow();
        socket.close();
    }
}

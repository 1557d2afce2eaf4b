package dev.quarkchat.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A WebSocket client written by hand on a plain TCP socket, for what well-behaved clients never do:
 * write continuation frames, invalid UTF-8, oversized frames; or stop reading and answering pings.
 * Every read waits at most {@link #TIMEOUT}.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int OPCODE_CONTINUATION = 0x0;
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    public static final int OPCODE_CLOSE = 0x8;
    public static final int OPCODE_PING = 0x9;
    public static final int OPCODE_PONG = 0xA;
    public static final Duration TIMEOUT = ChatClient.TIMEOUT;

    private static final int SWITCHING_PROTOCOLS = 101;

    /** Leave the operating system's default receive buffer. */
    private static final int DEFAULT_RECEIVE_BUFFER = 0;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** How much of a streamed payload goes to the socket in one write. */
    private static final int STREAM_PIECE_BYTES = 64 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private String handshakeResponse;

    /** One frame as received; its payload is read-only. */
    public record Frame(int opcode, boolean fin, ByteBuffer payload) {
        public String text() {
            return StandardCharsets.UTF_8.decode(payload.duplicate()).toString();
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return Short.toUnsignedInt(payload.getShort(0));
        }
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout((int) TIMEOUT.toMillis());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Performs the opening handshake on {@code /chat} with {@code Authorization: Bearer <token>}.
     */
    public static RawWebSocket connect(URI base, String token) throws IOException {
        return connect(base, token, DEFAULT_RECEIVE_BUFFER);
    }

    /**
     * Like {@link #connect(URI, String)}, with a TCP receive buffer of the given size: a small one
     * makes a client that stops reading push back on the server after little data.
     */
    public static RawWebSocket connect(URI base, String token, int receiveBufferBytes)
            throws IOException {
        return connect(base, token, receiveBufferBytes, "");
    }

    /**
     * Like {@link #connect(URI, String)}, offering WebSocket extensions as a browser does (for
     * example {@code permessage-deflate; client_max_window_bits}); {@link #handshakeResponse()}
     * tells what was agreed.
     */
    public static RawWebSocket connectOffering(URI base, String token, String extensions)
            throws IOException {
        return connect(
                base,
                token,
                DEFAULT_RECEIVE_BUFFER,
                "Sec-WebSocket-Extensions: " + extensions + "\r\n");
    }

    private static RawWebSocket connect(
            URI base, String token, int receiveBufferBytes, String extraHeaders)
            throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes != DEFAULT_RECEIVE_BUFFER) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(
                new InetSocketAddress(base.getHost(), base.getPort()), (int) TIMEOUT.toMillis());
        RawWebSocket raw = new RawWebSocket(socket);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        String request =
                "GET /chat HTTP/1.1\r\n"
                        + "Host: "
                        + base.getHost()
                        + ":"
                        + base.getPort()
                        + "\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: "
                        + Base64.getEncoder().encodeToString(key)
                        + "\r\n"
                        + "Sec-WebSocket-Version: 13\r\n"
                        + extraHeaders
                        + "Authorization: Bearer "
                        + token
                        + "\r\n\r\n";
        raw.out.write(request.getBytes(StandardCharsets.US_ASCII));
        raw.out.flush();
        raw.handshakeResponse = raw.readHttpHead();
        if (!raw.handshakeResponse.startsWith("HTTP/1.1 " + SWITCHING_PROTOCOLS)) {
            raw.close();
            throw new IOException(
                    "Upgrade refused: " + raw.handshakeResponse.lines().findFirst().orElse(""));
        }
        return raw;
    }

    /** An HTTP answer to an upgrade the server refused. */
    public record RefusedUpgrade(int status, String body) {}

    /**
     * Sends an upgrade request on {@code /chat} with the given headers, which the server is
     * expected to refuse, and reads its answer. The request goes out in one write into a send
     * buffer that holds all of it, so a server that answers and closes before reading the whole
     * request (431) cannot break the write half-way.
     */
    public static RefusedUpgrade refusedUpgrade(URI base, Map<String, String> headers)
            throws IOException {
        StringBuilder request =
                new StringBuilder("GET /chat HTTP/1.1\r\n")
                        .append("Host: ")
                        .append(base.getHost())
                        .append(':')
                        .append(base.getPort())
                        .append("\r\n")
                        .append(
                                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                        .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        Socket socket = new Socket();
        socket.setSendBufferSize(bytes.length * 2);
        socket.connect(
                new InetSocketAddress(base.getHost(), base.getPort()), (int) TIMEOUT.toMillis());
        try (RawWebSocket raw = new RawWebSocket(socket)) {
            raw.out.write(bytes);
            raw.out.flush();
            String head = raw.readHttpHead();
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            int length =
                    head.lines()
                            .filter(
                                    line ->
                                            line.toLowerCase(Locale.ROOT)
                                                    .startsWith("content-length:"))
                            .map(
                                    line ->
                                            Integer.parseInt(
                                                    line.substring(line.indexOf(':') + 1).trim()))
                            .findFirst()
                            .orElse(0);
            byte[] body = new byte[length];
            raw.in.readFully(body);
            return new RefusedUpgrade(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    /** The server's answer to the upgrade: status line and headers. */
    public String handshakeResponse() {
        return handshakeResponse;
    }

    /** Writes one client frame, masked as RFC 6455 requires of clients. */
    public void writeFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(header(opcode, fin, payload.length, mask));
        frame.write(masked(payload, 0, mask));
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Writes one frame of {@code payloadLength} bytes of {@code fill}, the payload in pieces, and
     * stops when the server hangs up (broken pipe, reset): a server may refuse a frame from its
     * header and read no more.
     *
     * @return how many payload bytes went to the socket; fewer than {@code payloadLength} if the
     *     server hung up
     */
    public long streamFrame(int opcode, boolean fin, long payloadLength, byte fill)
            throws IOException {
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        byte[] piece = new byte[STREAM_PIECE_BYTES];
        Arrays.fill(piece, fill);
        long written = 0;
        try {
            out.write(header(opcode, fin, payloadLength, mask));
            while (written < payloadLength) {
                int length = (int) Math.min(piece.length, payloadLength - written);
                out.write(masked(piece, written, mask), 0, length);
                written += length;
            }
            out.flush();
        } catch (SocketException hungUp) {
            // What was written before is what the server may have read; the rest it refused.
        }
        return written;
    }

    private static byte[] header(int opcode, boolean fin, long payloadLength, byte[] mask) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write((fin ? 0x80 : 0) | opcode);
        if (payloadLength < 126) {
            header.write(0x80 | (int) payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            header.write(0x80 | 126);
            header.write((int) (payloadLength >>> 8));
            header.write((int) (payloadLength & 0xFF));
        } else {
            header.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                header.write((int) (payloadLength >>> shift) & 0xFF);
            }
        }
        header.writeBytes(mask);
        return header.toByteArray();
    }

    /**
     * A masked copy of {@code payload}, the piece of a frame's payload that starts at {@code
     * offset}.
     */
    private static byte[] masked(byte[] payload, long offset, byte[] mask) {
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[(int) ((offset + i) % 4)]);
        }
        return masked;
    }

    /**
     * Writes a frame the server may refuse before it has all of it.
     *
     * @return false if the server hung up while it was being written (broken pipe, reset)
     */
    public boolean tryWriteFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        try {
            writeFrame(opcode, fin, payload);
            return true;
        } catch (SocketException hungUp) {
            return false;
        }
    }

    public void writeText(String text) throws IOException {
        writeFrame(OPCODE_TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the next frame from the server, waiting at most {@link #TIMEOUT}. */
    public Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(
                first & 0x0F, (first & 0x80) != 0, ByteBuffer.wrap(payload).asReadOnlyBuffer());
    }

    /** Reads frames until a text frame that contains {@code fragment}, and returns it. */
    public String readTextContaining(String fragment) throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == OPCODE_TEXT && frame.text().contains(fragment)) {
                return frame.text();
            }
            if (frame.opcode() == OPCODE_CLOSE) {
                throw new EOFException(
                        "Closed with " + frame.closeCode() + " while waiting for " + fragment);
            }
        }
    }

    /** Reads frames until the server's close frame, and returns its status code. */
    public int readCloseCode() throws IOException {
        while (true) {
            Frame frame = readFrame();
            if (frame.opcode() == OPCODE_CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /**
     * Reads frames until the server ends the connection: returns the close frame's code, or empty
     * when the server dropped the TCP connection without a close frame. Fails if nothing ends
     * within {@link #TIMEOUT}.
     */
    public Optional<Integer> readUntilEnd() throws IOException {
        try {
            return Optional.of(readCloseCode());
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (IOException dropped) {
            return Optional.empty();
        }
    }

    /**
     * Whether the server ends the TCP connection within {@code wait} (end of stream, or a reset),
     * without waiting for the client to answer its close frame. Call it after {@link
     * #readCloseCode()}.
     */
    public boolean transportEndsWithin(Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        try {
            readFrame();
            return false; // anything after its close frame breaks RFC 6455
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (EOFException | SocketException ended) {
            return true;
        } finally {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
        }
    }

    private String readHttpHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int next = in.readUnsignedByte();
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

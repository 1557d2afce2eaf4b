package dev.quarkchat.protocol;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The two ends of the hot path: a client's {@code send} decoded and validated, a {@code message}
 * encoded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    private static final String TEXT =
            "The quick brown fox jumps over the lazy dog; the lazy dog sleeps on, as chat-sized.";
    private static final String SEND =
            "{\"type\":\"send\",\"room\":\"lobby\",\"text\":\"" + TEXT + "\",\"id\":\"c-42\"}";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00.123Z");

    private final CommandDecoder decoder = new CommandDecoder(4000, 16, 100);
    private long seq;

    @Benchmark
    public ClientCommand decodeAndValidateSend() throws RejectedFrameException {
        return decoder.decode(SEND);
    }

    @Benchmark
    public String encodeMessage() {
        return ServerFrames.message("lobby", ++seq, "alice", TEXT, NOW, Optional.of("c-42"));
    }
}

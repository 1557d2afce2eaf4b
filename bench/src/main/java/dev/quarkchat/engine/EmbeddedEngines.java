package dev.quarkchat.engine;

import java.lang.reflect.Proxy;
import java.time.Duration;

/** The in-memory engines, made without CDI, to measure the room layer over them. */
public final class EmbeddedEngines {

    private EmbeddedEngines() {}

    /**
     * A memory broker keeping {@code historySize} messages per room, with the default id window.
     */
    public static MemoryBroker broker(int historySize) {
        // No periodic sweep: the benchmark's sends carry no id, as the load suite's do not.
        return new MemoryBroker(
                new MemoryHistoryStore(historySize), new IdempotencyKeys(idempotency(), null));
    }

    /** The defaults of {@code chat.idempotency.*}. */
    private static IdempotencyConfig idempotency() {
        return (IdempotencyConfig)
                Proxy.newProxyInstance(
                        EmbeddedEngines.class.getClassLoader(),
                        new Class<?>[] {IdempotencyConfig.class},
                        (proxy, method, args) ->
                                switch (method.getName()) {
                                    case "window" -> Duration.ofMinutes(10);
                                    case "maxKeysPerUser" -> 1000;
                                    case "maxKeys" -> 100_000;
                                    default ->
                                            throw new UnsupportedOperationException(
                                                    method.getName());
                                });
    }
}

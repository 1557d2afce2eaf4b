package repro;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;

/**
 * The same echo with the one supported setting that keeps less per connection: no inbound queue
 * (the serial mode's queue allocates its first chunk with the connection).
 */
@WebSocket(path = "/concurrent", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class ConcurrentEchoSocket {

    @OnTextMessage
    String echo(String text) {
        return text;
    }
}

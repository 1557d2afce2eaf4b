package repro;

import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;

/** Echoes every text frame: the least a websockets-next endpoint can be, with its defaults. */
@WebSocket(path = "/chat")
public class EchoSocket {

    @OnTextMessage
    String echo(String text) {
        return text;
    }
}

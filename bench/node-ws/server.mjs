// The reference of the classic Node lesson: a `ws` server that broadcasts every message to every client.
//   node server.mjs <port>
import { WebSocketServer, WebSocket } from "ws";

const port = Number(process.argv[2]);
const server = new WebSocketServer({ port, perMessageDeflate: false });
server.on("connection", (socket) => {
  socket.on("message", (data, isBinary) => {
    for (const client of server.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});
server.on("listening", () => console.log(`Listening on ${port}`));

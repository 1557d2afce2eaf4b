// One WebSocket to /chat that reconnects by itself: exponential backoff with full jitter, capped, and no
// retry once the token has expired (the person must sign in again instead).
const CARRIER = "bearer-token-carrier";
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;
const TOKEN_EXPIRED_CLOSE = 1008;

export class ChatConnection {
  #url;
  #onFrame;
  #onState;
  #token = null;
  #socket = null;
  #attempts = 0;
  #timer = null;

  /**
   * @param onFrame called with every frame the server sends, parsed
   * @param onState called with {state: "connecting" | "connected" | "reconnecting" | "signed-out", detail}
   */
  constructor(url, onFrame, onState) {
    this.#url = url;
    this.#onFrame = onFrame;
    this.#onState = onState;
  }

  start(token) {
    this.#token = token;
    this.#attempts = 0;
    this.#open();
  }

  stop(detail = "signed out") {
    this.#token = null;
    clearTimeout(this.#timer);
    if (this.#socket) {
      this.#socket.close(1000, "signed out");
      this.#socket = null;
    }
    this.#onState({ state: "signed-out", detail });
  }

  /** @returns false when there is no open connection to send on */
  send(frame) {
    if (this.#socket?.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #open() {
    if (tokenExpired(this.#token)) {
      this.stop("your token has expired: sign in again");
      return;
    }
    this.#onState({ state: this.#attempts === 0 ? "connecting" : "reconnecting", detail: "connecting" });
    // Browsers cannot set headers on a WebSocket: the token rides in the subprotocol list, never in the URL.
    const socket = new WebSocket(this.#url, [CARRIER,
      "quarkus-http-upgrade#Authorization#" + encodeURIComponent("Bearer " + this.#token)]);
    this.#socket = socket;
    socket.onopen = () => {
      this.#attempts = 0;
      this.#onState({ state: "connected", detail: "connected" });
    };
    socket.onmessage = (event) => this.#onFrame(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (this.#socket !== socket || this.#token === null) {
        return;
      }
      if (event.code === TOKEN_EXPIRED_CLOSE && event.reason.includes("token expired")) {
        this.stop("your token has expired: sign in again");
        return;
      }
      this.#reconnectLater();
    };
  }

  #reconnectLater() {
    const ceiling = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.#attempts);
    const delay = FIRST_DELAY_MS / 2 + Math.random() * ceiling;
    this.#attempts++;
    const due = Date.now() + delay;
    const tick = () => {
      const left = Math.max(0, due - Date.now());
      if (left === 0) {
        this.#open();
        return;
      }
      this.#onState({ state: "reconnecting", detail: `reconnecting in ${Math.ceil(left / 1000)} s` });
      this.#timer = setTimeout(tick, Math.min(left, 1000));
    };
    tick();
  }
}

/** Whether a JWT's exp has passed (an unreadable token counts as not expired: the server decides). */
function tokenExpired(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof payload.exp === "number" && payload.exp * 1000 <= Date.now();
  } catch {
    return false;
  }
}

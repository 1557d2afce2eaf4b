// One WebSocket to /chat that reconnects by itself: exponential backoff with full jitter, capped, and no
// retry once the token has expired (the person must sign in again instead). Where it was given a way to get a
// new token, it refreshes the token in-band when the server says it is expiring (docs/protocol.md, "Refreshing
// the token"), so the connection never ends for it. A moderator's close is not a failure to retry
// (docs/protocol.md, "Moderation"): after a ban it never reconnects, after a disconnect only when asked to.
const CARRIER = "bearer-token-carrier";
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 15000;
const TOKEN_EXPIRED_CLOSE = 1008;
const DISCONNECTED_BY_MODERATOR_CLOSE = 4000;
const BANNED_BY_MODERATOR_CLOSE = 4003;
/** What the page says after a moderator's close: the server's reason text is for any client, this for the person. */
const DISCONNECTED_TEXT = "A moderator disconnected you.";
const BANNED_TEXT = "A moderator banned this account from the chat.";
/** No refresh attempt later than this before the token's exp: it could not be answered in time. */
const LAST_REFRESH_MS = 1000;

export class ChatConnection {
  #url;
  #onFrame;
  #onState;
  #token = null;
  #socket = null;
  #attempts = 0;
  #timer = null;
  /** async () => a new token for the same user, or null: how this sign-in renews its token, if it can */
  #renewToken = null;
  #refreshTimer = null;
  /** the refresh the server has not answered yet: {id, token} */
  #pendingRefresh = null;
  #refreshes = 0;

  /**
   * @param onFrame called with every frame the server sends, parsed
   * @param onState called with {state, detail}: state "connecting", "connected", "reconnecting", "signed-out",
   * "disconnected" (by a moderator: nothing happens until resume()) or "banned" (from the chat: signed out for good)
   */
  constructor(url, onFrame, onState) {
    this.#url = url;
    this.#onFrame = onFrame;
    this.#onState = onState;
  }

  /** @param renewToken async () => a new token for the same user (or null), where the sign-in can get one */
  start(token, renewToken = null) {
    this.#token = token;
    this.#renewToken = renewToken;
    this.#attempts = 0;
    this.#open();
  }

  stop(detail = "signed out", state = "signed-out") {
    this.#token = null;
    this.#renewToken = null;
    clearTimeout(this.#timer);
    this.#cancelRefresh();
    if (this.#socket) {
      this.#socket.close(1000, "signed out");
      this.#socket = null;
    }
    this.#onState({ state, detail });
  }

  /** Connects again with the same sign-in, after a moderator's disconnect; does nothing in any other state. */
  resume() {
    if (this.#token === null || this.#socket !== null) {
      return;
    }
    this.#attempts = 0;
    this.#open();
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
    this.#cancelRefresh();
    socket.onopen = () => {
      this.#attempts = 0;
      this.#onState({ state: "connected", detail: "connected" });
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      this.#followToken(frame);
      this.#onFrame(frame);
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket || this.#token === null) {
        return;
      }
      this.#cancelRefresh();
      if (event.code === TOKEN_EXPIRED_CLOSE && event.reason.includes("token expired")) {
        this.stop("your token has expired: sign in again");
        return;
      }
      if (event.code === BANNED_BY_MODERATOR_CLOSE) {
        // Upgrades are refused until the ban ends or is lifted, and no page can tell when that is.
        this.stop(BANNED_TEXT, "banned");
        return;
      }
      if (event.code === DISCONNECTED_BY_MODERATOR_CLOSE) {
        // The sign-in stays: the person decides when to come back.
        this.#socket = null;
        this.#onState({ state: "disconnected", detail: DISCONNECTED_TEXT });
        return;
      }
      this.#reconnectLater();
    };
  }

  /** The frames about this connection's token: when to refresh, and whether a refresh was taken. */
  #followToken(frame) {
    if (frame.type === "expiring") {
      this.#refreshLater(frame.in * 1000);
    } else if (frame.type === "refreshed" && frame.id === this.#pendingRefresh?.id) {
      // Reconnects from now on present the new token too.
      this.#token = this.#pendingRefresh.token;
      this.#pendingRefresh = null;
    } else if (frame.type === "error" && frame.ref === this.#pendingRefresh?.id) {
      this.#pendingRefresh = null;
      this.#refreshLater(msUntilExpiry(this.#token));
    }
  }

  /**
   * Refreshes after half the time left: early enough to try again if that fails, late enough that tokens issued
   * for less than the server's notice are not refreshed in a tight loop. Without a way to get a token nothing
   * happens: the server closes the connection at exp and the person signs in again.
   */
  #refreshLater(msLeft) {
    clearTimeout(this.#refreshTimer);
    if (this.#renewToken === null || !Number.isFinite(msLeft) || msLeft < LAST_REFRESH_MS) {
      return;
    }
    this.#refreshTimer = setTimeout(() => this.#refresh(), msLeft / 2);
  }

  async #refresh() {
    const socket = this.#socket;
    let token = null;
    try {
      token = await this.#renewToken();
    } catch {
      // Unreachable for now: try again while there is time.
    }
    if (socket !== this.#socket || socket.readyState !== WebSocket.OPEN) {
      return;
    }
    if (!token) {
      this.#refreshLater(msUntilExpiry(this.#token));
      return;
    }
    this.#pendingRefresh = { id: `refresh-${++this.#refreshes}`, token };
    socket.send(JSON.stringify({ type: "refresh", token, id: this.#pendingRefresh.id }));
  }

  #cancelRefresh() {
    clearTimeout(this.#refreshTimer);
    this.#pendingRefresh = null;
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
  return msUntilExpiry(token) <= 0;
}

/** Milliseconds until a JWT's exp; Infinity for a token without a readable one. */
function msUntilExpiry(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof payload.exp === "number" ? payload.exp * 1000 - Date.now() : Infinity;
  } catch {
    return Infinity;
  }
}

// The chat page: signs in, keeps the rooms, and turns server frames into what view.js shows.
// Protocol: docs/protocol.md.
import { ChatConnection } from "./connection.js";
import {
  DEFAULT_USER_NAME_RULES, messageProblem, pageBefore, roomNameProblem, tokenUserNameProblem, userNameFault,
} from "./validation.js";
import * as view from "./view.js";

const DEFAULT_MAX_TEXT_LENGTH = 4000;
/** The server's default pace of typing events (chat.typing-interval), until its welcome tells. */
const DEFAULT_TYPING_INTERVAL_S = 2;
/** How long scrolling back waits after a page was refused (unavailable, rate_limited) before asking again. */
const OLDER_RETRY_MS = 3000;
/**
 * Least time between two read positions this page sends for a room it shows: a second, and in a crowd a second for
 * every READ_PACE_MEMBERS members up to READ_EVERY_MAX_MS, since every member answers the same messages and only the
 * user's other devices wait for it. The last goes at once when the room or the page is left.
 */
const READ_EVERY_MS = 1000;
const READ_PACE_MEMBERS = 100;
const READ_EVERY_MAX_MS = 10000;

const state = {
  user: null,
  maxTextLength: DEFAULT_MAX_TEXT_LENGTH,
  typingIntervalMs: DEFAULT_TYPING_INTERVAL_S * 1000,
  typingTimeoutMs: DEFAULT_TYPING_INTERVAL_S * 3000,
  /**
   * name -> {members: Set, memberCount, lines: [], unread, epoch, lastSeq, seqs: Set, olderHeld, loadingOlder,
   * olderPausedUntil, typing: Map, typingSentAt, readSeq, countedUpTo, newAfter, readSentSeq, readSentAt, readDueAt,
   * readTimer}: where
   * each room's conversation stands; seqs are those shown in this epoch, olderHeld whether the server may hold older
   * messages, loadingOlder the id of the history request in flight, typing who else is typing (user -> when to stop
   * showing it), typingSentAt when this page last said the user was typing there; readSeq where the user stopped
   * reading (on any device), unread counts the messages of others after it up to countedUpTo (as joined told) and
   * those that came since, newAfter the seq after which the "new messages" line goes, readSentSeq and readSentAt the
   * read position this page sent last, and when, readDueAt when the next may go (null: none waiting)
   */
  rooms: new Map(),
  current: null,
  /** id of a frame sent -> id of the element where its error belongs */
  pending: new Map(),
  /** id of a join not answered yet -> its room: an error answering it names no room */
  joining: new Map(),
  /** id of a dm not answered yet -> the other user: its joined names the conversation's room */
  opening: new Map(),
  /**
   * name -> {dm, unread}: rooms of the user's list (docs/protocol.md, "Room list") this page has not joined, shown
   * with their unread counts until opened; dm names the other user of a direct conversation
   */
  listed: new Map(),
  /** the user this page asked to write to: its conversation is shown once joined */
  awaitedConversation: null,
  /**
   * id of a send not answered yet -> {room, text, resend}: after a reconnect it is sent again with the same id,
   * which the server answers with the original message if it was posted (docs/protocol.md, "Resending")
   */
  outbox: new Map(),
  /** ids are the server's idempotency keys per user: this page's must differ from every other page's */
  idPrefix: randomIdPrefix(),
  nextId: 1,
  /** the server's user name rules (/user-name-rules), once it has told them */
  userNameRules: null,
};

const scheme = location.protocol === "https:" ? "wss:" : "ws:";
const connection = new ChatConnection(`${scheme}//${location.host}/chat`, receive, ({ state: connectionState, detail }) => {
  view.showStatus(connectionState, detail === "connected" && state.user ? `connected as ${state.user}` : detail);
  view.showReconnect(connectionState === "disconnected");
  if (connectionState === "signed-out" || connectionState === "banned") {
    view.showSignedIn(false);
    view.showError("sign-in-error", detail === "signed out" ? "" : detail);
  }
});

function receive(frame) {
  switch (frame.type) {
    case "welcome":
      state.user = frame.user;
      state.maxTextLength = frame.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
      state.editWindowMs = (frame.editWindow ?? 0) * 1000;
      state.typingIntervalMs = (frame.typingInterval ?? DEFAULT_TYPING_INTERVAL_S) * 1000;
      state.typingTimeoutMs = (frame.typingTimeout ?? DEFAULT_TYPING_INTERVAL_S * 3) * 1000;
      view.showStatus("connected", `connected as ${frame.user}`);
      view.showSignedIn(true);
      // After a reconnect: back into every room we were in, from where we stopped (docs/protocol.md,
      // "Recovery"); the default room comes by itself, and replays are told apart by seq. What was in flight
      // on the lost connection goes again once its room is rejoined.
      for (const unanswered of state.outbox.values()) {
        unanswered.resend = true;
      }
      // Requests of the lost connection get no answer.
      for (const room of state.rooms.values()) {
        room.loadingOlder = null;
      }
      for (const [name, room] of state.rooms) {
        const position = room.epoch ? { since: room.lastSeq, epoch: room.epoch } : {};
        send(room.dm ? { type: "dm", user: room.dm, ...position } : { type: "join", room: name, ...position },
          room.dm ? "dm-error" : "join-error");
      }
      break;
    case "rooms":
      settle(frame.id);
      state.listed.clear();
      frame.rooms.forEach(listRoom);
      break;
    case "room":
      listRoom(frame);
      break;
    case "joined": {
      const room = roomNamed(frame.room);
      room.dm ??= state.opening.get(frame.id) ?? state.listed.get(frame.room)?.dm ?? null;
      state.listed.delete(frame.room);
      // In a crowded room the server lists only the first names and sends no presence events.
      room.members = new Set(frame.members);
      room.memberCount = frame.memberCount;
      if (room.epoch !== frame.epoch) {
        // Another run of the room's sequence: what we showed cannot be continued.
        room.lines = [];
        room.lastSeq = 0;
        room.seqs.clear();
        room.oldestPosition = undefined;
        room.olderHeld = frame.seq > 0;
        room.loadingOlder = null;
        room.epoch = frame.epoch;
        room.readSeq = 0;
        room.readSentSeq = 0;
      }
      if (frame.readSeq !== undefined) {
        // The server counted the unread messages up to the joined's seq; those after it are counted as they come.
        room.readSeq = Math.max(room.readSeq, frame.readSeq);
        room.unread = frame.unread;
        room.mentions = frame.mentions ?? 0;
        room.countedUpTo = frame.seq;
        if (frame.room === state.current || state.current === null) {
          room.newAfter = frame.unread > 0 ? room.readSeq : null;
        }
      }
      state.current ??= frame.room;
      if (room.dm !== null && room.dm === state.awaitedConversation) {
        state.current = frame.room;
        state.awaitedConversation = null;
      }
      settle(frame.id);
      resendInFlight(frame.room);
      break;
    }
    case "left":
      if (frame.reason === "access_revoked") {
        view.showError("join-error", `You no longer have access to ${frame.room}.`);
      } else if (frame.reason === "kicked") {
        view.showError("join-error", `You were removed from #${frame.room} by a moderator.`);
      } else if (frame.reason === "banned") {
        view.showError("join-error", bannedFrom(frame.room));
      }
      forgetRoom(frame.room);
      settle(frame.id);
      break;
    case "presence": {
      const room = roomNamed(frame.room);
      if (frame.event === "join") {
        room.members.add(frame.user);
        room.memberCount += 1;
      } else {
        room.members.delete(frame.user);
        room.memberCount -= 1;
        room.typing.delete(frame.user);
      }
      room.lines.push({ kind: "notice", text: `${frame.user} ${frame.event === "join" ? "joined" : "left"}` });
      break;
    }
    case "message": {
      const room = roomNamed(frame.room);
      if (frame.from === state.user) {
        settle(frame.id);
      }
      // A message ends its author's typing: it reaches us after the typing event that came before it.
      room.typing.delete(frame.from);
      if (frame.seq <= room.lastSeq) {
        break; // replayed, or the answer to a resend: already shown
      }
      if (room.lastSeq > 0 && frame.seq > room.lastSeq + 1) {
        room.lines.push({ kind: "notice", text: "earlier messages are no longer available" });
      }
      room.lastSeq = frame.seq;
      room.seqs.add(frame.seq);
      if (frame.deleted) {
        break; // a replayed tombstone: nothing to show
      }
      room.lines.push(messageLine(frame));
      if (frame.from !== state.user && frame.seq > room.countedUpTo && frame.seq > room.readSeq) {
        room.unread++;
        if (mentionsMe(frame.text)) {
          room.mentions++;
        }
      }
      break;
    }
    case "mention": {
      // Someone called the user in a room this page has not joined: the room's entry says so until it is opened.
      const listed = state.listed.get(frame.room);
      if (!state.rooms.has(frame.room)) {
        state.listed.set(frame.room, {
          dm: listed?.dm ?? null, unread: (listed?.unread ?? 0) + 1, mentions: (listed?.mentions ?? 0) + 1,
        });
      }
      break;
    }
    case "read": {
      // This user read on: here, or on another device. What is left unread is what came after it.
      const room = roomNamed(frame.room);
      room.readSeq = Math.max(room.readSeq, frame.seq);
      const stillUnread = room.lines.filter((entry) => entry.kind === "message" && !entry.own
        && entry.seq > room.readSeq);
      room.unread = Math.min(room.unread, stillUnread.length);
      room.mentions = Math.min(room.mentions, stillUnread.filter((entry) => mentionsMe(entry.text)).length);
      break;
    }
    case "reaction": {
      // In order with the messages, like an edit (docs/protocol.md, "Reactions").
      const room = roomNamed(frame.room);
      room.lastSeq = Math.max(room.lastSeq, frame.at);
      const entry = room.lines.find((line) => line.kind === "message" && line.seq === frame.seq);
      if (entry) {
        const users = (entry.reactions[frame.emoji] ?? []).filter((user) => user !== frame.user);
        entry.reactions = { ...entry.reactions, [frame.emoji]: frame.on ? [...users, frame.user] : users };
        if (entry.reactions[frame.emoji].length === 0) {
          delete entry.reactions[frame.emoji];
        }
      }
      break;
    }
    case "edited":
    case "deleted": {
      // Edits and deletions take positions of their own (at), in order with the messages: applied in that order,
      // replays included, they leave each message as it stands (docs/protocol.md, "Edits and deletions").
      const room = roomNamed(frame.room);
      settle(frame.id);
      room.lastSeq = Math.max(room.lastSeq, frame.at);
      const index = room.lines.findIndex((entry) => entry.kind === "message" && entry.seq === frame.seq);
      if (index >= 0 && frame.type === "deleted") {
        room.lines.splice(index, 1);
      } else if (index >= 0) {
        room.lines[index] = { ...room.lines[index], text: frame.text, edited: true };
      }
      break;
    }
    case "typing": {
      const room = roomNamed(frame.room);
      room.typing.set(frame.user, Date.now() + state.typingTimeoutMs);
      // Gone once its time is up, unless another one came meanwhile.
      setTimeout(render, state.typingTimeoutMs);
      break;
    }
    case "history":
      settle(frame.id);
      render({ olderAdded: olderMessages(frame) });
      return;
    case "error":
      if (frame.code === "banned") {
        // A join refused, or the default room's in place of its joined (no ref, so the server's words).
        const room = state.joining.get(frame.ref);
        view.showError("join-error", room === undefined ? sentence(frame.message) : bannedFrom(room));
        if (room !== undefined) {
          forgetRoom(room);
        }
      } else {
        view.showError(state.pending.get(frame.ref) ?? "send-error", `${frame.message} (${frame.code})`);
      }
      settle(frame.ref);
      for (const room of state.rooms.values()) {
        if (room.loadingOlder === frame.ref) {
          room.loadingOlder = null;
          room.olderPausedUntil = Date.now() + OLDER_RETRY_MS;
          setTimeout(loadOlderAtTop, OLDER_RETRY_MS);
        }
      }
      break;
    default:
      return;
  }
  render();
}

/**
 * Puts a room of the user's list beside those joined. A direct conversation is opened at once, so that its messages
 * come live: someone wrote to the user, or will.
 */
function listRoom(entry) {
  if (state.rooms.has(entry.room)) {
    return;
  }
  state.listed.set(entry.room, { dm: entry.dm ?? null, unread: entry.unread, mentions: entry.mentions ?? 0 });
  if (entry.dm) {
    send({ type: "dm", user: entry.dm }, "dm-error");
  }
}

/** Opens a room of the list the page has not joined yet. */
function openListed(name) {
  const entry = state.listed.get(name);
  if (entry && send(entry.dm ? { type: "dm", user: entry.dm } : { type: "join", room: name },
    entry.dm ? "dm-error" : "join-error")) {
    state.current = name;
  }
}

function bannedFrom(room) {
  return `You are banned from #${room}.`;
}

/** The server's error message as a sentence of its own. */
function sentence(message) {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
}

/** Takes a room the connection is no longer in off the page, with what was still to be sent to it. */
function forgetRoom(name) {
  state.rooms.delete(name);
  for (const [id, unanswered] of state.outbox) {
    if (unanswered.room === name) {
      state.outbox.delete(id);
    }
  }
  if (state.current === name) {
    state.current = state.rooms.keys().next().value ?? null;
  }
}

/**
 * Whether a text mentions the user: a word that is "@" and the user's name, followed by nothing but .,!?:;) - as
 * the server reads it (docs/protocol.md, "Mentions").
 */
function mentionsMe(text) {
  return (text ?? "").split(/[ \t\n\r\f\v]+/)
    .some((word) => word.startsWith("@") && word.slice(1).replace(/[.,!?:;)]+$/, "") === state.user);
}

function messageLine(frame) {
  const own = frame.from === state.user;
  return {
    kind: "message", seq: frame.seq, from: frame.from, text: frame.text, ts: frame.ts, own,
    mentionsMe: !own && mentionsMe(frame.text),
    edited: Boolean(frame.editedAt), room: frame.room, reactions: frame.reactions ?? {},
  };
}

/**
 * Puts the messages of a history page that are older than every one shown before them, each seq once
 * (docs/protocol.md, "Scrolling back"). A page that is not the answer awaited, or of another epoch, belongs to no
 * view shown: it is dropped.
 * @returns whether the room's lines changed
 */
function olderMessages(frame) {
  const room = state.rooms.get(frame.room);
  if (!room || room.loadingOlder !== frame.id) {
    return false;
  }
  room.loadingOlder = null;
  if (frame.epoch !== room.epoch) {
    return false;
  }
  const oldest = oldestSeq(room) ?? Infinity;
  // The page holds messages as they stand now, and edits and deletions at their own positions: only the messages
  // are shown, but every position counts for where the next page starts.
  const positions = frame.messages.map((entry) => (entry.type === "message" ? entry.seq : entry.at));
  const older = frame.messages.filter((message) => message.type === "message" && message.seq < oldest
    && !room.seqs.has(message.seq));
  for (const message of older) {
    room.seqs.add(message.seq);
    room.lastSeq = Math.max(room.lastSeq, message.seq);
  }
  room.lines.unshift(...older.filter((message) => !message.deleted).map(messageLine));
  const pageOldest = Math.min(...positions);
  const wentBack = pageOldest < oldest;
  if (wentBack) {
    room.oldestPosition = pageOldest;
  }
  // A page that reaches no further back cannot lead further back.
  room.olderHeld = frame.more && wentBack;
  if (!room.olderHeld) {
    room.lines.unshift({
      kind: "notice",
      text: frame.firstSeq > 1 ? "Older messages are no longer kept." : "This is the start of the conversation.",
    });
  }
  return true;
}

/** The oldest position of the room the page has: its oldest message shown, or of the last page read. */
function oldestSeq(room) {
  const shown = room.lines.find((entry) => entry.kind === "message")?.seq;
  if (room.oldestPosition === undefined) {
    return shown;
  }
  return shown === undefined ? room.oldestPosition : Math.min(shown, room.oldestPosition);
}

/** Whether the user may still edit or delete a message of theirs: the server refuses it past the window. */
function changeable(entry) {
  return entry.own && Date.now() - Date.parse(entry.ts) < state.editWindowMs;
}

/** Asks for a new text of one's own message and sends it as an edit. */
function editMessage(entry) {
  const text = window.prompt("Edit your message", entry.text);
  if (text === null || text === entry.text) {
    return;
  }
  const problem = messageProblem(text, state.maxTextLength);
  if (problem) {
    view.showError("send-error", problem);
    return;
  }
  send({ type: "edit", room: entry.room, seq: entry.seq, text }, "send-error");
}

/** Adds the user's reaction to a message, or takes it back. */
function react(entry, emoji, on) {
  send({ type: "react", room: entry.room, seq: entry.seq, emoji, on }, "send-error");
}

/** Deletes one's own message, once confirmed. */
function deleteMessage(entry) {
  if (window.confirm("Delete this message for everyone?")) {
    send({ type: "delete", room: entry.room, seq: entry.seq }, "send-error");
  }
}

/**
 * With the current room's messages scrolled to the top, asks for the page before the oldest one shown: one request
 * at a time, until the server has no older ones.
 */
function loadOlderAtTop() {
  const room = state.rooms.get(state.current);
  if (!room?.epoch || !room.olderHeld || room.loadingOlder || Date.now() < room.olderPausedUntil
    || !view.messagesAtTop()) {
    view.showLoadingOlder(Boolean(room?.loadingOlder));
    return;
  }
  const before = pageBefore(oldestSeq(room));
  if (before === null) {
    room.olderHeld = false;
    return;
  }
  const id = `${state.idPrefix}-${state.nextId++}`;
  // No limit: the server's default, which is never over its chat.history.page-max.
  if (connection.send({ type: "history", room: state.current, ...(before === undefined ? {} : { before }), id })) {
    state.pending.set(id, "send-error");
    room.loadingOlder = id;
  }
  view.showLoadingOlder(Boolean(room.loadingOlder));
}

function roomNamed(name) {
  if (!state.rooms.has(name)) {
    state.rooms.set(name, {
      members: new Set(), memberCount: 0, lines: [], unread: 0, epoch: null, lastSeq: 0,
      seqs: new Set(), olderHeld: false, loadingOlder: null, olderPausedUntil: 0, typing: new Map(), typingSentAt: 0,
      readSeq: 0, countedUpTo: 0, newAfter: null, readSentSeq: 0, readSentAt: 0, readDueAt: null, readTimer: null,
      dm: null, mentions: 0,
    });
  }
  return state.rooms.get(name);
}

/** Sends a frame with a fresh id, remembering where an error about it should show, and a message until answered. */
function send(frame, errorElementId) {
  const id = `${state.idPrefix}-${state.nextId++}`;
  state.pending.set(id, errorElementId);
  if (!connection.send({ ...frame, id })) {
    state.pending.delete(id);
    view.showError(errorElementId, "Not connected: wait for the connection to come back.");
    return false;
  }
  if (frame.type === "send") {
    state.outbox.set(id, { room: frame.room, text: frame.text, resend: false });
  } else if (frame.type === "join") {
    state.joining.set(id, frame.room);
  } else if (frame.type === "dm") {
    state.opening.set(id, frame.user);
  }
  view.showError(errorElementId, "");
  return true;
}

/** Sends again, with their ids, the messages of a rejoined room that the lost connection left unanswered. */
function resendInFlight(roomName) {
  for (const [id, unanswered] of state.outbox) {
    if (unanswered.resend && unanswered.room === roomName
      && connection.send({ type: "send", room: roomName, text: unanswered.text, id })) {
      unanswered.resend = false;
    }
  }
}

function settle(id) {
  state.pending.delete(id);
  state.outbox.delete(id);
  state.joining.delete(id);
  state.opening.delete(id);
}

/** A random part for this page's ids (two 32-bit numbers in base 36), so that they are its own. */
function randomIdPrefix() {
  return Array.from(crypto.getRandomValues(new Uint32Array(2)), (word) => word.toString(36)).join("");
}

function select(name) {
  const left = state.rooms.get(state.current);
  if (left) {
    left.newAfter = null; // the line marks what was new when the room was opened
    if (document.visibilityState === "visible") {
      sayRead(state.current, left, { now: true });
    }
  }
  state.current = name;
  const room = state.rooms.get(name);
  if (room) {
    room.newAfter = room.unread > 0 ? room.readSeq : null;
  }
  render();
  document.getElementById("message-text").focus();
}

/** @param olderAdded whether older messages were put before those shown: what the reader sees stays in place */
function render({ olderAdded = false } = {}) {
  const room = state.rooms.get(state.current);
  if (room && document.visibilityState === "visible") {
    room.unread = 0;
    room.mentions = 0;
    sayRead(state.current, room);
  }
  view.showRooms(state.rooms, state.listed, state.current, { onSelect: select, onOpen: openListed });
  view.showRoom(state.current, room, {
    olderAdded, changeable, onEdit: editMessage, onDelete: deleteMessage, newAfter: room?.newAfter ?? null,
    me: state.user, onReact: react,
  });
  view.showTyping(room ? typingNow(room) : []);
  loadOlderAtTop();
}

/**
 * Tells the server the user has read the room shown up to its latest position, so that the user's other devices
 * and next visits start there (docs/protocol.md, "Read positions and unread counts"): at most once per pace
 * (readPaceMs), the latest position when its time comes, unless the room is being left (now). The time comes at a
 * random moment of the pace: every member of a room gets a message at the same moment, and their reads should not
 * all reach the server in the same millisecond.
 */
function sayRead(name, room, { now = false } = {}) {
  if (!room.epoch || room.lastSeq <= Math.max(room.readSeq, room.readSentSeq)) {
    forgetReadDue(room);
    return;
  }
  if (!now) {
    const pace = readPaceMs(room);
    room.readDueAt ??= Math.max(Date.now() + Math.random() * pace, room.readSentAt + pace);
    const wait = room.readDueAt - Date.now();
    if (wait > 0) {
      // Only the read goes: a redraw now would close what the user has open (the emoji picker, say).
      room.readTimer ??= setTimeout(() => {
        room.readTimer = null;
        if (state.rooms.get(state.current) === room && document.visibilityState === "visible") {
          sayRead(name, room);
        }
      }, wait);
      return;
    }
  }
  forgetReadDue(room);
  if (connection.send({ type: "read", room: name, seq: room.lastSeq })) {
    room.readSentSeq = room.lastSeq;
    room.readSentAt = Date.now();
  }
}

function readPaceMs(room) {
  return Math.min(READ_EVERY_MAX_MS, READ_EVERY_MS * Math.max(1, room.memberCount / READ_PACE_MEMBERS));
}

function forgetReadDue(room) {
  clearTimeout(room.readTimer);
  room.readTimer = null;
  room.readDueAt = null;
}

/** Who is typing in the room now; those whose time is up are forgotten. */
function typingNow(room) {
  const now = Date.now();
  for (const [user, until] of room.typing) {
    if (until <= now) {
      room.typing.delete(user);
    }
  }
  return [...room.typing.keys()];
}

/**
 * Tells the room's other members that the user is typing: once an interval at most, the most the server passes on
 * (docs/protocol.md, "Typing"), so that no frame is spent in vain.
 */
function sayTyping() {
  const room = state.rooms.get(state.current);
  const text = document.getElementById("message-text").value;
  if (room?.epoch && text.trim() !== "" && Date.now() - room.typingSentAt >= state.typingIntervalMs
    && connection.send({ type: "typing", room: state.current })) {
    room.typingSentAt = Date.now();
  }
}

/** Where the server takes the user's name from and how long it may be; its defaults if it cannot tell now. */
async function userNameRules() {
  if (state.userNameRules === null) {
    try {
      const response = await fetch("/user-name-rules");
      if (response.ok) {
        state.userNameRules = await response.json();
      }
    } catch {
      // Unreachable for now: the connection will say so; ask again at the next sign-in.
    }
  }
  return state.userNameRules ?? DEFAULT_USER_NAME_RULES;
}

async function signIn(event) {
  event.preventDefault();
  const pasted = document.getElementById("token").value.trim();
  const user = document.getElementById("user-name").value.trim();
  if (pasted) {
    await start(pasted);
    return;
  }
  const { maxLength } = await userNameRules();
  const fault = userNameFault(user, maxLength);
  if (fault) {
    view.showError("sign-in-error", `This user name is not accepted: ${fault}.`);
    return;
  }
  const response = await devToken(user);
  if (!response.ok) {
    view.showError("sign-in-error", response.status === 404
      ? "This server hands out no tokens: paste the one your sign-in service gave you."
      : `No token: ${await response.text()}`);
    return;
  }
  // The same route renews the token before it expires, without a reconnect.
  await start(await response.text(), async () => {
    const renewed = await devToken(user);
    return renewed.ok ? renewed.text() : null;
  });
}

/** A token for the user from a development server (a production server has no such route: 404). */
function devToken(user) {
  return fetch(`/dev/token?user=${encodeURIComponent(user)}`);
}

async function start(token, renewToken = null) {
  // A refused upgrade looks like any failed connection to a page: say why before trying.
  const problem = tokenUserNameProblem(token, await userNameRules());
  if (problem) {
    view.showError("sign-in-error", problem);
    return;
  }
  view.showError("sign-in-error", "");
  state.rooms.clear();
  state.listed.clear();
  state.outbox.clear();
  state.current = null;
  connection.start(token, renewToken);
}

document.getElementById("sign-in-form").addEventListener("submit", signIn);
document.getElementById("messages").addEventListener("scroll", loadOlderAtTop, { passive: true });
document.getElementById("sign-out").addEventListener("click", () => connection.stop());
document.getElementById("reconnect").addEventListener("click", () => connection.resume());

document.getElementById("join-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("room-name");
  const name = input.value.trim();
  const problem = roomNameProblem(name);
  if (problem) {
    view.showError("join-error", problem);
    return;
  }
  if (send({ type: "join", room: name }, "join-error")) {
    input.value = "";
    state.current = name;
  }
});

document.getElementById("send-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("message-text");
  const problem = messageProblem(input.value, state.maxTextLength);
  if (problem) {
    view.showError("send-error", problem);
    return;
  }
  if (state.current && send({ type: "send", room: state.current, text: input.value }, "send-error")) {
    input.value = "";
    // The message ended the typing the others saw: the next keystroke starts it again.
    state.rooms.get(state.current).typingSentAt = 0;
  }
});

document.getElementById("dm-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("dm-user");
  const user = input.value.trim();
  if (user === "" || user === state.user) {
    view.showError("dm-error", user === "" ? "Whom to write to?" : "Write to someone else.");
    return;
  }
  if (send({ type: "dm", user }, "dm-error")) {
    input.value = "";
    state.awaitedConversation = user;
  }
});

document.getElementById("message-text").addEventListener("input", sayTyping);
// Hidden, the page says what was read so far; back, what came meanwhile is read now.
document.addEventListener("visibilitychange", () => {
  const room = state.rooms.get(state.current);
  if (document.visibilityState === "hidden" && room) {
    sayRead(state.current, room, { now: true });
  }
  render();
});

document.getElementById("leave").addEventListener("click", () => {
  if (state.current) {
    send({ type: "leave", room: state.current }, "send-error");
  }
});

// A token handed over in the URL fragment never reaches a server or a log; take it and clear it.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.has("token")) {
  history.replaceState(null, "", location.pathname);
  start(fragment.get("token"));
}

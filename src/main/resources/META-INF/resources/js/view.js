// Everything the page shows. Text from the network is only ever set with textContent: a message such as
// <img onerror=...> shows as those characters and runs nothing.
const element = (id) => document.getElementById(id);

/** How close to the top of the messages counts as scrolled to the top: older ones load a little early. */
const TOP_MARGIN_PX = 40;
/** How close to the bottom counts as reading the latest: new messages keep it in view. */
const BOTTOM_MARGIN_PX = 8;
const DAY_FORMAT = { weekday: "long", year: "numeric", month: "long", day: "numeric" };

export function showStatus(state, detail) {
  const status = element("status");
  status.dataset.state = state;
  status.textContent = detail;
}

export function showSignedIn(signedIn) {
  element("sign-in").hidden = signedIn;
  element("chat").hidden = !signedIn;
  element("sign-out").hidden = !signedIn;
}

/**
 * The button that connects again after a moderator's disconnect. Shown, it takes the keyboard focus; hidden while
 * it has it, the focus goes on to the message field rather than back to the top of the page.
 */
export function showReconnect(shown) {
  const button = element("reconnect");
  if (shown === !button.hidden) {
    return;
  }
  const focused = document.activeElement === button;
  button.hidden = !shown;
  if (shown) {
    button.focus();
  } else if (focused && !element("chat").hidden) {
    element("message-text").focus();
  }
}

export function showError(formErrorId, text) {
  element(formErrorId).textContent = text;
}

/**
 * The rooms in the sidebar, direct conversations apart under the other user's name ("@bob"), each with its unread
 * count: those joined, then those of the user's list not joined yet.
 * @param rooms Map of name to {unread, dm} joined; @param listed Map of name to {unread, dm} not joined
 * @param onSelect called with the name of a joined room; @param onOpen with the name of a listed one
 */
export function showRooms(rooms, listed, current, { onSelect, onOpen }) {
  const entries = [...rooms.entries()].map(([name, room]) => ({ name, room, pick: onSelect }))
    .concat([...listed.entries()].map(([name, room]) => ({ name, room, pick: onOpen })));
  const item = ({ name, room, pick }) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = room.dm ? `@${room.dm}` : name;
    button.setAttribute("aria-current", String(name === current));
    if (room.unread > 0) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = String(room.unread);
      badge.setAttribute("aria-label", `${room.unread} unread`);
      button.append(badge);
    }
    if (room.mentions > 0) {
      const badge = document.createElement("span");
      badge.className = "mentions";
      badge.textContent = `@${room.mentions}`;
      badge.setAttribute("aria-label", `${room.mentions} ${room.mentions === 1 ? "mention" : "mentions"} of you`);
      button.append(badge);
    }
    button.addEventListener("click", () => pick(name));
    const entry = document.createElement("li");
    entry.append(button);
    return entry;
  };
  element("rooms").replaceChildren(...entries.filter(({ room }) => !room.dm).map(item));
  element("directs").replaceChildren(...entries.filter(({ room }) => room.dm).map(item));
}

/**
 * @param room {members: Set, memberCount, lines: [{kind, seq, from, text, ts, own, edited}]} or undefined
 * @param olderAdded whether older lines were put before those shown: the reader's place stays where it was
 * @param changeable whether a message line gets the controls to edit and delete it, which call onEdit and onDelete
 * @param newAfter the seq after which the messages of others were new when the room was opened, or null
 * @param me the user's name: its own reactions show pressed; @param onReact called with (entry, emoji, on)
 */
export function showRoom(name, room, {
  olderAdded = false, changeable = () => false, onEdit = () => {}, onDelete = () => {}, newAfter = null,
  me = null, onReact = () => {},
} = {}) {
  element("room-title").textContent = room?.dm ? `@${room.dm}` : name ?? "";
  const names = [...(room?.members ?? [])];
  const unnamed = (room?.memberCount ?? 0) - names.length;
  element("members").replaceChildren(...names.concat(unnamed > 0 ? [`and ${unnamed} more`] : []).map((member) => {
    const item = document.createElement("li");
    item.textContent = member;
    return item;
  }));
  const messages = element("messages");
  const sameRoom = messages.dataset.room === (name ?? "");
  const fromTop = messages.scrollTop;
  const fromBottom = messages.scrollHeight - messages.clientHeight - messages.scrollTop;
  const actions = { changeable, onEdit, onDelete, me, onReact };
  const lines = withNewMessagesLine(withDaySeparators(room?.lines ?? []), newAfter);
  messages.replaceChildren(...lines.map((entry) => line(entry, actions)));
  messages.dataset.room = name ?? "";
  if (sameRoom && olderAdded) {
    // What was below the top stays where it was on the screen; the older lines are above it.
    messages.scrollTop = messages.scrollHeight - messages.clientHeight - fromBottom;
  } else if (!sameRoom || fromBottom <= BOTTOM_MARGIN_PX) {
    messages.lastElementChild?.scrollIntoView({ block: "end" });
  } else {
    messages.scrollTop = fromTop;
  }
}

/** "alice is typing…" for the users typing in the room shown, the first two by name. */
export function showTyping(users) {
  const [first, second] = users;
  let text = "";
  if (users.length === 1) {
    text = `${first} is typing…`;
  } else if (users.length === 2) {
    text = `${first} and ${second} are typing…`;
  } else if (users.length > 2) {
    text = `${first}, ${second} and ${users.length - 2} more are typing…`;
  }
  element("typing").textContent = text;
}

/** Whether the messages are scrolled to the top (or fit without scrolling): time to show older ones. */
export function messagesAtTop() {
  return element("messages").scrollTop <= TOP_MARGIN_PX;
}

export function showLoadingOlder(loading) {
  element("messages").setAttribute("aria-busy", String(loading));
}

/**
 * The lines with a day line before the first message of each day (in the reader's time zone), wherever the day
 * changes between two messages: within what came live, within a page of older ones, or where they meet.
 */
export function withDaySeparators(lines) {
  const separated = [];
  let shownDay = null;
  for (const entry of lines) {
    if (entry.kind === "message") {
      const date = new Date(entry.ts);
      const day = date.toDateString();
      if (day !== shownDay) {
        separated.push({ kind: "day", text: date.toLocaleDateString(undefined, DAY_FORMAT), ts: entry.ts });
        shownDay = day;
      }
    }
    separated.push(entry);
  }
  return separated;
}

/** The lines with a "new messages" line before the first message of someone else after newAfter, if any. */
export function withNewMessagesLine(lines, newAfter) {
  if (newAfter === null) {
    return lines;
  }
  const first = lines.findIndex((entry) => entry.kind === "message" && !entry.own && entry.seq > newAfter);
  if (first < 0) {
    return lines;
  }
  // Right above that message: below the day line that heads it, if one does.
  return [...lines.slice(0, first), { kind: "new", text: "New messages" }, ...lines.slice(first)];
}

function line(entry, actions) {
  const item = document.createElement("li");
  if (entry.kind === "new") {
    item.className = "new";
    item.setAttribute("role", "separator");
    item.textContent = entry.text;
    return item;
  }
  if (entry.kind === "day") {
    item.className = "day";
    item.setAttribute("role", "separator");
    const date = document.createElement("time");
    date.dateTime = localDate(entry.ts);
    date.textContent = entry.text;
    item.append(date);
    return item;
  }
  if (entry.kind === "notice") {
    item.className = "notice";
    item.textContent = entry.text;
    return item;
  }
  item.className = entry.own ? "message own" : entry.mentionsMe ? "message mentions-me" : "message";
  item.dataset.seq = String(entry.seq);
  const time = document.createElement("time");
  time.dateTime = entry.ts;
  time.textContent = new Date(entry.ts).toLocaleTimeString();
  const from = document.createElement("span");
  from.className = "from";
  from.textContent = entry.own ? `${entry.from} (you)` : entry.from;
  const text = document.createElement("span");
  text.className = "text";
  text.textContent = entry.text;
  item.append(time, from, text);
  if (entry.edited) {
    const edited = document.createElement("span");
    edited.className = "edited";
    edited.textContent = " (edited)";
    item.append(edited);
  }
  if (actions.changeable(entry)) {
    item.append(control("Edit", "edit", () => actions.onEdit(entry)),
      control("Delete", "delete", () => actions.onDelete(entry)));
  }
  item.append(reactions(entry, actions));
  return item;
}

/** The emoji offered by a message's "React" button. */
const OFFERED_EMOJI = ["👍", "❤️", "😂", "🎉", "😮", "😢"];

/**
 * A message's reactions, each a button that adds or takes back the user's own (pressed when it is there), and a
 * "React" button that offers a few emoji.
 */
function reactions(entry, actions) {
  const bar = document.createElement("span");
  bar.className = "reactions";
  for (const [emoji, users] of Object.entries(entry.reactions ?? {})) {
    const mine = users.includes(actions.me);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "reaction";
    button.textContent = `${emoji} ${users.length}`;
    button.setAttribute("aria-pressed", String(mine));
    button.setAttribute("aria-label", `${emoji} from ${users.join(", ")}`);
    button.addEventListener("click", () => actions.onReact(entry, emoji, !mine));
    bar.append(button);
  }
  const offer = control("React", "react", () => {
    offer.replaceWith(...OFFERED_EMOJI.map((emoji) => {
      const choice = control(emoji, "emoji", () => actions.onReact(entry, emoji, true));
      choice.setAttribute("aria-label", `React with ${emoji}`);
      return choice;
    }));
    bar.querySelector(".emoji")?.focus();
  });
  bar.append(offer);
  return bar;
}

/** A small button on one's own message. */
function control(label, className, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `control ${className}`;
  button.textContent = label;
  button.addEventListener("click", onClick);
  return button;
}

/** The reader's calendar day of a timestamp, as a time element's datetime: 2026-11-25. */
function localDate(ts) {
  const date = new Date(ts);
  const pad = (number) => String(number).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

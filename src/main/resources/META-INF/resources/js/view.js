// Everything the page shows. Text from the network is only ever set with textContent: a message such as
// <img onerror=...> shows as those characters and runs nothing.
const element = (id) => document.getElementById(id);

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

export function showError(formErrorId, text) {
  element(formErrorId).textContent = text;
}

/** @param rooms Map of name to {unread}; @param onSelect called with a room name */
export function showRooms(rooms, current, onSelect) {
  const list = element("rooms");
  list.replaceChildren(...[...rooms.entries()].map(([name, room]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = name;
    button.setAttribute("aria-current", String(name === current));
    if (room.unread > 0) {
      const badge = document.createElement("span");
      badge.className = "unread";
      badge.textContent = String(room.unread);
      badge.setAttribute("aria-label", `${room.unread} unread`);
      button.append(badge);
    }
    button.addEventListener("click", () => onSelect(name));
    const item = document.createElement("li");
    item.append(button);
    return item;
  }));
}

/** @param room {members: Set, memberCount, lines: [{kind, from, text, ts, own}]} or undefined */
export function showRoom(name, room) {
  element("room-title").textContent = name ?? "";
  const names = [...(room?.members ?? [])];
  const unnamed = (room?.memberCount ?? 0) - names.length;
  element("members").replaceChildren(...names.concat(unnamed > 0 ? [`and ${unnamed} more`] : []).map((member) => {
    const item = document.createElement("li");
    item.textContent = member;
    return item;
  }));
  const messages = element("messages");
  messages.replaceChildren(...(room?.lines ?? []).map(line));
  messages.lastElementChild?.scrollIntoView({ block: "end" });
}

function line(entry) {
  const item = document.createElement("li");
  if (entry.kind === "notice") {
    item.className = "notice";
    item.textContent = entry.text;
    return item;
  }
  item.className = entry.own ? "message own" : "message";
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
  return item;
}

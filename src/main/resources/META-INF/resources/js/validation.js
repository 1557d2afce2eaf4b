// The server's input rules (docs/protocol.md), checked before sending so that people see the problem at once.
const ROOM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const USER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** @returns an explanation, or "" when the room name is valid */
export function roomNameProblem(name) {
  return ROOM_NAME.test(name)
    ? ""
    : "Room names are 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit.";
}

/** @returns an explanation, or "" when the text may be sent; length counts characters, not UTF-16 units */
export function messageProblem(text, maxLength) {
  if (text.trim() === "") {
    return "Type a message first.";
  }
  const length = [...text].length;
  return length > maxLength ? `At most ${maxLength} characters (this one has ${length}).` : "";
}

export function userNameProblem(name) {
  return USER_NAME.test(name) ? "" : "User names are 1 to 64 letters, digits, '.', '_' or '-'.";
}

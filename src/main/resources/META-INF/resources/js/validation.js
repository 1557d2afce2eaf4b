// The server's input rules (docs/protocol.md), checked before sending so that people see the problem at once.
const ROOM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Where the server finds the user's name in a token, and its longest length, until /user-name-rules says. */
export const DEFAULT_USER_NAME_RULES = { claims: ["upn", "preferred_username", "sub"], maxLength: 64 };

// The user name rule of dev.quarkchat.protocol.UserName: characters one by one, then the NFC form.
const USER_NAME_FAULTS = [
  [/\p{Cc}/u, "it contains a control character"],
  // Cf, and the letters and marks Unicode draws as nothing (combining grapheme joiner, Hangul fillers, ...).
  [/[\p{Cf}\u034F\u115F\u1160\u17B4\u17B5\u3164\uFFA0]/u, "it contains an invisible formatting character"],
  [/[\p{Zl}\p{Zp}]/u, "it contains a line or paragraph separator"],
  [/\p{Cn}/u, "it contains a code point that Unicode does not assign"],
  [/\p{Cs}/u, "it contains half of a surrogate pair"],
];
const SPACE = /\p{Zs}/u;

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

/**
 * The before of the history page older than the oldest message shown: the server takes a positive integer
 * (invalid_before otherwise), and nothing is older than seq 1.
 * @returns undefined for the latest page (none shown yet), or null when nothing older can exist
 */
export function pageBefore(oldestShownSeq) {
  if (oldestShownSeq === undefined) {
    return undefined;
  }
  return Number.isSafeInteger(oldestShownSeq) && oldestShownSeq > 1 ? oldestShownSeq : null;
}

/** @returns why the server would refuse this user name ("it contains a control character"), or "" */
export function userNameFault(name, maxLength) {
  if (typeof name !== "string") {
    return "it is not text";
  }
  if (name === "") {
    return "it is empty";
  }
  for (const character of name) {
    const fault = USER_NAME_FAULTS.find(([pattern]) => pattern.test(character));
    if (fault) {
      return fault[1];
    }
  }
  const characters = [...name.normalize("NFC")];
  if (SPACE.test(characters[0]) || SPACE.test(characters[characters.length - 1])) {
    return "it starts or ends with a space";
  }
  return characters.length > maxLength ? `it is longer than ${maxLength} characters` : "";
}

/**
 * Checks the name a token carries, as the server will at the handshake: a browser cannot read why an upgrade
 * was refused, so this is the only place the person can learn it.
 * @returns an explanation, or "" when the name is fine or the token cannot be read (the server decides)
 */
export function tokenUserNameProblem(token, rules) {
  const claims = tokenClaims(token);
  if (claims === null) {
    return "";
  }
  const claim = rules.claims.find((name) => claims[name] !== undefined && claims[name] !== null);
  if (claim === undefined) {
    return `Your sign-in token carries no user name (none of ${rules.claims.join(", ")}).`;
  }
  const fault = userNameFault(claims[claim], rules.maxLength);
  return fault ? `Your sign-in name is not accepted: ${fault}.` : "";
}

/** The claims of a JWT, read without verifying it (the server verifies); null when it is not a readable JWT. */
function tokenClaims(token) {
  try {
    const binary = atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (byte) => byte.charCodeAt(0))));
    return claims !== null && typeof claims === "object" ? claims : null;
  } catch {
    return null;
  }
}

-- Bans placed by moderators, kept with the durable store (chat.history.store=postgres) so that they outlive
-- every restart. A ban is of the whole chat (room NULL) or of one room, until a time or until lifted (until NULL).
-- Limits mirror the moderation API's.
CREATE TABLE chat_ban (
    user_name  text        NOT NULL CHECK (char_length(user_name) BETWEEN 1 AND 256),
    room       text        CHECK (char_length(room) BETWEEN 1 AND 64),
    reason     text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    banned_by  text        NOT NULL CHECK (char_length(banned_by) BETWEEN 1 AND 256),
    banned_at  timestamptz NOT NULL,
    until      timestamptz
);

-- A user has at most one ban of the whole chat and one per room: a new one replaces it. No room name is
-- empty, so the empty string stands for the whole chat.
CREATE UNIQUE INDEX chat_ban_scope ON chat_ban (user_name, (coalesce(room, '')));

-- Bans that ended are found by their end, and deleted.
CREATE INDEX chat_ban_until ON chat_ban (until) WHERE until IS NOT NULL;

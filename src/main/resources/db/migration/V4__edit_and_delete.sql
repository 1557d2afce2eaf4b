-- Edits and deletions. Each takes its own position in the room's sequence, as a row of chat_message of kind
-- 'edited' or 'deleted' about the message target, so that recovery replays them like messages; the message
-- itself is rewritten: its latest text and when it was set (edited_at), or no text at all once deleted.
ALTER TABLE chat_message
    ADD COLUMN kind      text        NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'edited', 'deleted')),
    ADD COLUMN target    bigint      CHECK (target >= 1),
    ADD COLUMN edited_at timestamptz,
    ADD COLUMN deleted   boolean     NOT NULL DEFAULT false,
    ALTER COLUMN body DROP NOT NULL,
    ADD CONSTRAINT chat_message_shape CHECK (
        (kind = 'message' AND target IS NULL AND (body IS NULL) = deleted)
        OR (kind = 'edited' AND target < seq AND body IS NOT NULL AND edited_at IS NOT NULL)
        OR (kind = 'deleted' AND target < seq AND body IS NULL));

-- A deletion finds the earlier edits of its message, to erase their texts too.
CREATE INDEX chat_message_target ON chat_message (room, target) WHERE target IS NOT NULL;

-- Rewrites message target_seq of a room with new_body (NULL: deleted) and appends the event of the change with
-- the room's next seq, unless the message is no longer as the caller read it (read_body, read_edited_at) in the
-- epoch it read: then it returns NULL and changes nothing, and the caller reads again. The room's row is locked
-- as chat_append locks it, so that the event's seq and the messages' are one gap-free sequence.
-- Returns the event's seq.
CREATE FUNCTION chat_amend(
    target_room text, read_epoch text, target_seq bigint, read_body text, read_edited_at timestamptz,
    new_body text, changed_at timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    author text;
    event_seq bigint;
BEGIN
    PERFORM 1 FROM chat_room r WHERE r.room = target_room AND r.epoch = read_epoch FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    UPDATE chat_message m
    SET body = new_body, edited_at = CASE WHEN new_body IS NULL THEN NULL ELSE changed_at END,
        deleted = new_body IS NULL
    WHERE m.room = target_room AND m.seq = target_seq AND m.kind = 'message' AND NOT m.deleted
      AND m.body IS NOT DISTINCT FROM read_body AND m.edited_at IS NOT DISTINCT FROM read_edited_at
    RETURNING m.sender INTO author;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF new_body IS NULL THEN
        UPDATE chat_message m SET kind = 'deleted', body = NULL, edited_at = NULL
        WHERE m.room = target_room AND m.target = target_seq AND m.kind = 'edited';
    END IF;
    UPDATE chat_room r SET last_seq = r.last_seq + 1, active_at = now()
    WHERE r.room = target_room
    RETURNING r.last_seq INTO event_seq;
    INSERT INTO chat_message (room, seq, sender, body, sent_at, kind, target, edited_at)
    VALUES (target_room, event_seq, author, new_body, changed_at,
            CASE WHEN new_body IS NULL THEN 'deleted' ELSE 'edited' END, target_seq,
            CASE WHEN new_body IS NULL THEN NULL ELSE changed_at END);
    RETURN event_seq;
END
$$;

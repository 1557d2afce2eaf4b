-- Messages a backend posted through the server API are marked, so that their frames say so ("service": true)
-- wherever they are read back: recovery, paging. chat_append takes the mark of each send as a seventh array;
-- without it (a caller of the earlier signature) every send is a member's. Otherwise as V2's.
ALTER TABLE chat_message ADD COLUMN service boolean NOT NULL DEFAULT false;

DROP FUNCTION chat_append(text[], text[], text[], timestamptz[], text[], text[]);

CREATE FUNCTION chat_append(
    rooms text[], senders text[], bodies text[], sent timestamptz[], client_ids text[], new_epochs text[],
    services boolean[] DEFAULT NULL)
RETURNS TABLE (room_epoch text, message_seq bigint, posted boolean, posted_at timestamptz, posted_body text)
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO chat_room (room, epoch)
    SELECT DISTINCT ON (given.room) given.room, given.epoch
    FROM unnest(rooms, new_epochs) AS given (room, epoch)
    ORDER BY given.room
    ON CONFLICT (room) DO NOTHING;

    PERFORM 1 FROM chat_room r WHERE r.room = ANY (rooms) ORDER BY r.room FOR UPDATE;

    RETURN QUERY
    WITH given AS (
        -- A send repeating an id of its sender and room earlier in the batch is a resend of that first one.
        SELECT g.room, g.sender, g.body, g.sent_at, g.client_id, coalesce(s.service, false) AS service, g.ord,
               CASE WHEN g.client_id IS NULL THEN g.ord
                    ELSE min(g.ord) OVER (PARTITION BY g.room, g.sender, g.client_id) END AS first_ord
        FROM unnest(rooms, senders, bodies, sent, client_ids)
            WITH ORDINALITY AS g (room, sender, body, sent_at, client_id, ord)
        LEFT JOIN unnest(services) WITH ORDINALITY AS s (service, ord) ON s.ord = g.ord
    ),
    earlier AS (
        -- First sends whose id an earlier batch posted.
        SELECT g.ord, m.seq, m.sent_at, m.body
        FROM given g
        JOIN chat_message m ON m.room = g.room AND m.sender = g.sender AND m.client_id = g.client_id
        WHERE g.ord = g.first_ord AND m.client_id IS NOT NULL
    ),
    fresh AS (
        SELECT g.room, g.sender, g.body, g.sent_at, g.client_id, g.service, g.ord,
               row_number() OVER (PARTITION BY g.room ORDER BY g.ord) AS nth
        FROM given g
        WHERE g.ord = g.first_ord AND NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = g.ord)
    ),
    advanced AS (
        UPDATE chat_room r SET last_seq = r.last_seq + counted.sends, active_at = now()
        FROM (SELECT f.room, count(*) AS sends FROM fresh f GROUP BY f.room) counted
        WHERE r.room = counted.room
        RETURNING r.room, r.last_seq - counted.sends AS seq_before
    ),
    placed AS (
        SELECT f.*, a.seq_before + f.nth AS seq
        FROM fresh f JOIN advanced a ON a.room = f.room
    ),
    inserted AS (
        INSERT INTO chat_message (room, seq, sender, body, sent_at, client_id, service)
        SELECT p.room, p.seq, p.sender, p.body, p.sent_at, p.client_id, p.service FROM placed p
    )
    SELECT r.epoch,
           coalesce(e.seq, p.seq),
           g.ord = g.first_ord AND e.ord IS NULL,
           coalesce(e.sent_at, p.sent_at),
           CASE WHEN g.ord = g.first_ord AND e.ord IS NULL THEN NULL ELSE coalesce(e.body, p.body) END
    FROM given g
    JOIN chat_room r ON r.room = g.room
    LEFT JOIN earlier e ON e.ord = g.first_ord
    LEFT JOIN placed p ON p.ord = g.first_ord
    ORDER BY g.ord;
END
$$;

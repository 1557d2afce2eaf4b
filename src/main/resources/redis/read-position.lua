-- Where a user stopped reading a room.
-- KEYS: read (the user's, in the room). Returns {epoch, seq}, or {} if none is kept.
local kept = redis.call('GET', KEYS[1])
if not kept then
  return {}
end
local epoch, seq = string.match(kept, '^(%S+) (%d+)$')
return {epoch, seq}

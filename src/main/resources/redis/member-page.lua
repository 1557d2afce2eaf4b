-- A page of the room's members by name, after removing every instance's expired entries: the users whose
-- name sorts after a cursor.
-- KEYS: who, alive, users. ARGV: channel, room, after ('' for the first page), most member names.
-- Returns {{member names}, member count}.
local now = now_ms()
sweep(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], now)
-- Entries are '<user>\0<instance>': those of the cursor's user sort below '<after>\1', and every longer or
-- greater name above it (names hold no control character).
local from = '-'
if ARGV[3] ~= '' then
  from = '[' .. ARGV[3] .. '\1'
end
local most = tonumber(ARGV[4])
-- A user on several instances has several entries: read on until the page is full or the entries end.
local users, seen, offset = {}, {}, 0
while #users < most do
  local entries = redis.call('ZRANGEBYLEX', KEYS[1], from, '+', 'LIMIT', offset, most * 2)
  for _, entry in ipairs(entries) do
    local user = user_of(entry)
    if not seen[user] and #users < most then
      seen[user] = true
      users[#users + 1] = user
    end
  end
  if #entries < most * 2 then
    break
  end
  offset = offset + #entries
end
return {users, redis.call('HLEN', KEYS[3])}

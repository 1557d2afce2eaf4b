-- Lists the room's members, after removing every instance's expired entries. With a connection id it first
-- adds the user's entry for this instance and publishes the join event: the list and the event are one step,
-- so the event marks exactly which presence events came after the list.
-- KEYS: who, alive, users. ARGV: channel, room, instance, connection id or '', user, presence TTL (ms),
-- room TTL (s), most member names (0: all). Returns {{member names}, member count}.
local now = now_ms()
sweep(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], now)
if ARGV[4] ~= '' then
  add(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[5], ARGV[3], ARGV[4], now + tonumber(ARGV[6]), ARGV[7])
end
-- Entries are sorted by user; a user on several instances has several, so read a few more.
local most = tonumber(ARGV[8])
local last = -1
if most > 0 then
  last = most * 4 - 1
end
local users, seen = {}, {}
for _, entry in ipairs(redis.call('ZRANGE', KEYS[1], 0, last)) do
  local user = user_of(entry)
  if not seen[user] and (most == 0 or #users < most) then
    seen[user] = true
    users[#users + 1] = user
  end
end
return {users, redis.call('HLEN', KEYS[3])}

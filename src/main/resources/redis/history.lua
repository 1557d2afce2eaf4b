-- Where the room's sequence stands, and the messages after the reader's position if all are held, else the
-- latest ones; or a new epoch at seq 0 (room-epoch.lua).
-- KEYS: meta, log. ARGV: room TTL (s), epoch if the room starts one, since or '', reader's epoch or '', latest count.
-- Returns {epoch, seq, recovered (1/0), {frames}}.
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[1])
local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
local entries = {}
local recovered = 0
if ARGV[3] ~= '' and ARGV[4] == epoch and tonumber(ARGV[3]) <= seq then
  local since = tonumber(ARGV[3])
  entries = redis.call('XRANGE', KEYS[2], string.format('%d', since + 1), '+')
  if since == seq or (#entries > 0 and tonumber(string.match(entries[1][1], '^%d+')) == since + 1) then
    recovered = 1
  end
end
if recovered == 0 then
  entries = {}
  local count = tonumber(ARGV[5])
  if count > 0 then
    local latest = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', count)
    for i = #latest, 1, -1 do
      entries[#entries + 1] = latest[i]
    end
  end
end
local frames = {}
for i, entry in ipairs(entries) do
  frames[i] = entry[2][2]
end
return {epoch, string.format('%d', seq), recovered, frames}

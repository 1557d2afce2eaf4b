-- Removes a user's ban of one room, or every ban of the user.
-- KEYS: bans, ends. ARGV: now (milliseconds), user, room ('' for every ban of the user).
-- Returns the bans removed that still applied.
purge_ended(ARGV[1])
local fields = {}
if ARGV[3] ~= '' then
  fields[1] = ARGV[3] .. '\n' .. ARGV[2]
else
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    local newline = string.find(field, '\n', 1, true)
    if newline and string.sub(field, newline + 1) == ARGV[2] then
      fields[#fields + 1] = field
    end
  end
end
local lifted = {}
for _, field in ipairs(fields) do
  local ban = redis.call('HGET', KEYS[1], field)
  if ban then
    lifted[#lifted + 1] = ban
    redis.call('HDEL', KEYS[1], field)
    redis.call('ZREM', KEYS[2], field)
  end
end
return lifted

-- How many messages a reader has not read: those of the epoch after its position, up to a top, that are still
-- held, not deleted, and not its own. Edits and deletions hold positions of their own and are not counted.
-- KEYS: meta, log. ARGV: epoch, seq read, top seq, reader.
-- Returns the count; 0 if the room is no longer in that epoch.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then
  return 0
end
local count = 0
local from = string.format('%d', tonumber(ARGV[2]) + 1)
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], from, ARGV[3])) do
  local frame = cjson.decode(entry[2][2])
  if frame.type == 'message' and not frame.deleted and frame.from ~= ARGV[4] then
    count = count + 1
  end
end
return count

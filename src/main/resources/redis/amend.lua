-- Rewrites a message of the room's log and appends the event of the change with the room's next seq, then
-- publishes it as append.lua publishes a message; unless the log no longer holds, in the epoch the caller read,
-- the frame the caller decided on (a racing edit or deletion came first): then nothing changes and the caller
-- reads again. A stream entry cannot be changed in place, so the capped log is written again, whole, with the
-- new frame (and, for a deletion, the message's earlier edit events as deletions): the old text is gone.
-- KEYS: meta, log.
-- ARGV: channel, room, room TTL (s), epoch read, seq, frame read, new frame, event before its seq, event after
-- its seq, prefix of the message's edit events to erase or '', history size, epoch if the room starts one
-- (room-epoch.lua: then the caller's read is of another epoch, and the answer is 'changed').
-- Returns the event's seq, or 'changed'.
local epoch = room_epoch(KEYS[1], KEYS[2], ARGV[12])
local target = ARGV[5] .. '-0'
local entries = redis.call('XRANGE', KEYS[2], '-', '+')
local held = nil
for _, entry in ipairs(entries) do
  if entry[1] == target then
    held = entry[2][2]
  end
end
if epoch ~= ARGV[4] or held ~= ARGV[6] then
  return 'changed'
end
local erase = ARGV[10]
redis.call('DEL', KEYS[2])
for _, entry in ipairs(entries) do
  local frame = entry[2][2]
  if entry[1] == target then
    frame = ARGV[7]
  elseif erase ~= '' and string.sub(frame, 1, #erase) == erase then
    frame = ARGV[8] .. string.match(frame, '^%d+', #erase + 1) .. ARGV[9]
  end
  redis.call('XADD', KEYS[2], entry[1], 'f', frame)
end
local seq = string.format('%d', redis.call('HINCRBY', KEYS[1], 'seq', 1))
local event = ARGV[8] .. seq .. ARGV[9]
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[11], seq .. '-0', 'f', event)
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call(PUBLISH, ARGV[1], 'M ' .. ARGV[2] .. ' ' .. epoch .. ' ' .. seq .. ' ' .. event)
return seq

-- What the room's log holds at one seq, for an edit or a deletion to decide on.
-- KEYS: meta, log. ARGV: seq.
-- Returns {epoch or '', frame or ''}.
local epoch = redis.call('HGET', KEYS[1], 'epoch') or ''
local entries = redis.call('XRANGE', KEYS[2], ARGV[1] .. '-0', ARGV[1] .. '-0')
local frame = ''
if #entries > 0 then
  frame = entries[1][2][2]
end
return {epoch, frame}

-- How many messages a reader has not read: those of the epoch after its position, up to a top, that are still
-- held, not deleted, and not its own; and how many of those mention it. Edits, deletions and reactions hold
-- positions of their own and are not counted. A word mentions the reader if it is '@' and the reader's name,
-- followed by nothing but .,!?:;) - as Mentions.java reads a text.
-- KEYS: meta, log. ARGV: epoch, seq read, top seq, reader.
-- Returns {count, mentions}; {0, 0} if the room is no longer in that epoch.
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then
  return {0, 0}
end
local count = 0
local mentions = 0
local from = string.format('%d', tonumber(ARGV[2]) + 1)
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], from, ARGV[3])) do
  local frame = cjson.decode(entry[2][2])
  if frame.type == 'message' and not frame.deleted and frame.from ~= ARGV[4] then
    count = count + 1
    if type(frame.text) == 'string' then
      for word in string.gmatch(frame.text, '[^ \t\n\r\f\v]+') do
        if string.sub(word, 1, 1) == '@' and string.gsub(string.sub(word, 2), '[%.,!%?:;%)]+$', '') == ARGV[4] then
          mentions = mentions + 1
          break
        end
      end
    end
  end
end
return {count, mentions}

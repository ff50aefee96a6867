-- Appends an event to a time series (or an edit of one of its events): checks, assigns the
-- next seq, adds it to the stream with that seq as its id, trims the stream to the retained
-- range, and publishes the event, as one atomic step. Concurrent appends through any number of
-- replicas get one order with no gap and no duplicate.
-- KEYS[1] the topic's hash, KEYS[2] its stream (same hash tag, so one cluster slot)
-- ARGV: 1 changes channel, 2 path, 3 expected spec (canonical JSON), 4 value text, 5 author,
--       6 editOf ('' = an original event), 7 'own' when the author may edit only their own events,
--       8 retained limit (0 = none), 9 retained age in ms (0 = none)
local spec = redis.call('HGET', KEYS[1], 'spec')
if not spec then
  return redis.error_reply('NOT_FOUND no topic ' .. ARGV[2])
end
if spec ~= ARGV[3] then
  if redis.call('HGET', KEYS[1], 'type') ~= 'TIME_SERIES' then
    return redis.error_reply('INVALID ' .. ARGV[2] .. ' is not a time series: use set')
  end
  return redis.error_reply('CONFLICT ' .. ARGV[2] .. ' was replaced by a topic with another spec: ' .. spec)
end
local editOf = ARGV[6]
if editOf ~= '' then
  local original = redis.call('XRANGE', KEYS[2], editOf .. '-0', editOf .. '-0')
  if #original == 0 then
    return redis.error_reply('NOT_FOUND ' .. ARGV[2] .. ' has no event ' .. editOf .. ' (never, or no longer retained)')
  end
  local fields = original[1][2]
  local author, originalOf = nil, nil
  for i = 1, #fields, 2 do
    if fields[i] == 'a' then author = fields[i + 1] end
    if fields[i] == 'e' then originalOf = fields[i + 1] end
  end
  if originalOf then
    -- An edit of an edit edits the original event, so with EDIT_OWN only the original's author
    -- counts (the edited one's while the original is no longer retained): an edit one authored of
    -- another's event is no way to edit that event again, and another's edit of one's own event is.
    editOf = originalOf
    if ARGV[7] == 'own' then
      local first = redis.call('XRANGE', KEYS[2], originalOf .. '-0', originalOf .. '-0')
      if #first > 0 then
        local ofields = first[1][2]
        for i = 1, #ofields, 2 do
          if ofields[i] == 'a' then author = ofields[i + 1] end
        end
      end
    end
  end
  if ARGV[7] == 'own' and author ~= ARGV[5] then
    return redis.error_reply('PERMISSION_DENIED event ' .. ARGV[6] .. ' of ' .. ARGV[2] .. ' is not yours to edit')
  end
end
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
if editOf ~= '' then
  redis.call('XADD', KEYS[2], seq .. '-0', 't', millis, 'a', ARGV[5], 'v', ARGV[4], 'e', editOf)
else
  redis.call('XADD', KEYS[2], seq .. '-0', 't', millis, 'a', ARGV[5], 'v', ARGV[4])
end
redis.call('HSET', KEYS[1], 'value', ARGV[4])
local limit = tonumber(ARGV[8])
if limit > 0 then
  redis.call('XTRIM', KEYS[2], 'MAXLEN', limit)
end
local age = tonumber(ARGV[9])
if age > 0 then
  -- Drop events older than the retained age; at most 1000 per append, so one append stays
  -- cheap (the rest go with the next appends).
  local cutoff = millis - age
  local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1000)
  local keepFrom = nil
  for i = 1, #oldest do
    local fields = oldest[i][2]
    local t = nil
    for j = 1, #fields, 2 do
      if fields[j] == 't' then t = tonumber(fields[j + 1]) end
    end
    if t >= cutoff then
      keepFrom = oldest[i][1]
      break
    end
  end
  if keepFrom then
    redis.call('XTRIM', KEYS[2], 'MINID', keepFrom)
  elseif #oldest > 0 then
    -- All of them are too old: drop up to and including the last one (ids are "<seq>-0").
    local lastSeq = string.match(oldest[#oldest][1], '^(%d+)-')
    redis.call('XTRIM', KEYS[2], 'MINID', lastSeq .. '-1')
  end
end
redis.call('PUBLISH', ARGV[1], 'E' .. seq .. '\n' .. ARGV[2] .. '\n' .. millis .. ' ' .. editOf .. '\n' .. ARGV[5] .. '\n' .. ARGV[4])
return seq

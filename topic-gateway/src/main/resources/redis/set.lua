-- Sets a topic's value: assigns the next seq, stores the value and publishes the change, as
-- one atomic step, so every replica sees one order per topic (see docs/design.md).
-- KEYS[1] the topic's hash
-- ARGV: 1 changes channel, 2 path, 3 value type, 4 value text,
--       5 spec to add if missing ('' = must exist), 6 retain flag for that spec, 7 ifSeq ('' = any)
local key = KEYS[1]
local spec = redis.call('HGET', key, 'spec')
if not spec then
  if ARGV[5] == '' then
    return redis.error_reply('NOT_FOUND no topic ' .. ARGV[2] .. ': add it first, or set it with a spec')
  end
  redis.call('HSET', key, 'spec', ARGV[5], 'type', ARGV[3], 'retain', ARGV[6], 'seq', 0)
  redis.call('PUBLISH', ARGV[1], 'A\n' .. ARGV[2] .. '\n' .. ARGV[5])
elseif ARGV[5] ~= '' and ARGV[5] ~= spec then
  return redis.error_reply('CONFLICT ' .. ARGV[2] .. ' exists with another spec: ' .. spec)
else
  local stored = redis.call('HGET', key, 'type')
  if stored ~= ARGV[3] then
    return redis.error_reply('INVALID ' .. ARGV[2] .. ' is a ' .. tostring(stored) .. ' topic, not ' .. ARGV[3])
  end
end
local seq = tonumber(redis.call('HGET', key, 'seq'))
if ARGV[7] ~= '' and tonumber(ARGV[7]) ~= seq then
  return redis.error_reply('CONFLICT ' .. ARGV[2] .. ' is at seq ' .. seq .. ', not ' .. ARGV[7])
end
seq = seq + 1
if redis.call('HGET', key, 'retain') == '1' then
  redis.call('HSET', key, 'seq', seq, 'value', ARGV[4])
else
  redis.call('HSET', key, 'seq', seq)
end
redis.call('PUBLISH', ARGV[1], 'S' .. seq .. '\n' .. ARGV[2] .. '\n' .. ARGV[4])
return seq

#!lua
-- Sets the values of many topics in one atomic step: for each change in turn, checks it (spec,
-- type, ifSeq), assigns the next seq and stores the value, exactly as set.lua does for one; then
-- publishes every accepted change in one message. Redis runs a script alone, so every replica
-- sees one order per topic (docs/design.md). A refused change refuses only itself: its result is
-- the error's text and the others go on. The #!lua line makes Redis refuse the whole script before
-- it runs when it is out of memory, rather than at its first write (which would leave part of a
-- batch stored and unpublished).
--
-- KEYS[i]  the hash of change i's topic; the last KEYS entry is the index of their shard's topics
--          (a set of paths, to which a change that adds its topic adds it)
-- ARGV[1]  the changes channel (of the shard of every change here: the gateway runs this script
--          with SPUBLISH in place of PUBLISH when sharded, LuaScript.forLayout); ARGV[2] the batch's origin (replica:lane:batch), echoed in the message
-- then 4 per change: path, value type, value text, and '' (the topic must exist, any seq) or
--                    '<ifSeq>|<retain flag><spec>' (ifSeq '' = any; spec '' = must exist, else the spec
--                    to add it with if missing, with that retain flag): few arguments, as each costs
--                    Redis work for every change
-- Returns one result per change: its seq (an integer), or the error (a string "CODE message").
-- Publishes  M<origin>\n  then per accepted change  <byte length>\n<change>  where <change> is
-- A\n<path>\n<spec> (an add) or S<seq>\n<path>\n<value> (a set), as single changes are published.
local results = {}
local message = {'M', ARGV[2], '\n'}
local n = 3
local published = 0
-- a change's head and its value go in as two parts: the value is copied once, into the message
local function append(head, value)
  message[n + 1] = tostring(#head + #value)
  message[n + 2] = '\n'
  message[n + 3] = head
  message[n + 4] = value
  n = n + 4
  published = published + 1
end
local index = KEYS[#KEYS]
for i = 1, #KEYS - 1 do
  local a = 2 + (i - 1) * 4
  local path, vtype, value, control = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local ifSeq, addSpec, addRetain = '', '', '1'
  if control ~= '' then
    local bar = string.find(control, '|', 1, true)
    ifSeq = string.sub(control, 1, bar - 1)
    addRetain = string.sub(control, bar + 1, bar + 1)
    addSpec = string.sub(control, bar + 2)
  end
  local key = KEYS[i]
  local state = redis.pcall('HMGET', key, 'spec', 'type', 'seq', 'retain')
  local err
  if type(state) ~= 'table' then
    err = 'INVALID ' .. path .. ' is not held as a topic here'
  elseif state.err then
    err = 'INVALID ' .. path .. ' is not held as a topic here: ' .. state.err
  else
    local spec, stored, seq, retain = state[1], state[2], state[3], state[4]
    if not spec then
      if addSpec == '' then
        err = 'NOT_FOUND no topic ' .. path .. ': add it first, or set it with a spec'
      else
        redis.call('HSET', key, 'spec', addSpec, 'type', vtype, 'retain', addRetain, 'seq', 0)
        redis.call('SADD', index, path)
        append('A\n' .. path .. '\n', addSpec)
        spec, stored, seq, retain = addSpec, vtype, '0', addRetain
      end
    elseif addSpec ~= '' and addSpec ~= spec then
      err = 'CONFLICT ' .. path .. ' exists with another spec: ' .. spec
    elseif stored ~= vtype then
      err = 'INVALID ' .. path .. ' is a ' .. tostring(stored) .. ' topic, not ' .. vtype
    end
    if not err then
      local current = tonumber(seq)
      if ifSeq ~= '' and tonumber(ifSeq) ~= current then
        err = 'CONFLICT ' .. path .. ' is at seq ' .. current .. ', not ' .. ifSeq
      else
        local next = current + 1
        if retain == '1' then
          redis.call('HSET', key, 'seq', next, 'value', value)
        else
          redis.call('HSET', key, 'seq', next)
        end
        append('S' .. next .. '\n' .. path .. '\n', value)
        results[i] = next
      end
    end
  end
  if err then
    results[i] = err
  end
end
if published > 0 then
  redis.call('PUBLISH', ARGV[1], table.concat(message))
end
return results

--[[
  logs: a page of a job's log lines and its progress, read at one instant (a running handler
  appends and trims the list meanwhile). Lines are numbered from 1 in the order written; the list
  keeps the newest, so the oldest kept is number logn - LLEN + 1.

  KEYS[1] job hash   KEYS[2] the job's logs list (keys.logs(id))

  ARGV[1] first line number wanted (lines before the oldest kept start at the oldest)
  ARGV[2] most lines to return

  Returns {} when the job hash does not exist, else { logn, first kept number, progress ('' =
  none), line, line, ... } — the lines from max(ARGV[1], first kept) on.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
local f = redis.call('HMGET', KEYS[1], 'logn', 'prog')
local total = tonumber(f[1]) or 0
local kept = redis.call('LLEN', KEYS[2])
local first = total - kept + 1
local from = math.max(tonumber(ARGV[1]), first)
local out = { total, first, f[2] or '' }
local limit = tonumber(ARGV[2])
if limit > 0 and from <= total then
  local lines = redis.call('LRANGE', KEYS[2], from - first, from - first + limit - 1)
  for _, l in ipairs(lines) do out[#out + 1] = l end
end
return out

-- wrk script for bench/launch_throughput.sh: every request POSTs the launch body in $BODY as the
-- user in $BASIC_AUTH (user:password); at the end, prints the answers by status and the latency
-- percentiles of all answers. Three ways to send:
-- * without $THINK_MS or $RATE, connections send back to back (saturation);
-- * with $THINK_MS, each connection waits that long after an answer before its next launch;
-- * with $RATE (launches per second, all threads together; $THREADS threads, default 2), launches
--   are sent on a fixed schedule, open loop: each wrk thread has a slot every THREADS/RATE seconds
--   and a free connection sends at the next slot. A launch that finds its slot already past (every
--   connection was still waiting for an answer) is sent at once and counted as late, with how
--   late: wrk's latency starts when a launch is sent, so the lateness is what a schedule-corrected
--   latency would add, and the summary prints it.
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"

local function base64(s)
  local chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
  return ((s:gsub(".", function(x)
    local r, b = "", x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0") end
    return r
  end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
    if #x < 6 then return "" end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0) end
    return chars:sub(c + 1, c + 1)
  end) .. ({ "", "==", "=" })[#s % 3 + 1])
end
wrk.headers["Authorization"] = "Basic " .. base64(os.getenv("BASIC_AUTH"))

local think = tonumber(os.getenv("THINK_MS") or "")
local rate = tonumber(os.getenv("RATE") or "")
if think then
  function delay() return think end
elseif rate then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } parasol_timespec;
    int clock_gettime(int clock, parasol_timespec *ts);
  ]]
  local ts = ffi.new("parasol_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = (tonumber(os.getenv("THREADS") or "2")) * 1000 / rate
  local start, slots = nil, 0
  late, late_max, late_sum = 0, 0, 0
  function delay()
    local now = now_ms()
    start = start or now
    local slot = start + slots * interval
    slots = slots + 1
    if slot >= now then return math.floor(slot - now) end
    local by = now - slot
    if by > 1 then
      late = late + 1
      late_sum = late_sum + by
      if by > late_max then late_max = by end
    end
    return 0
  end
end

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end

function done(summary, latency, requests)
  local counts, parts = {}, {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do counts[status] = (counts[status] or 0) + n end
  end
  for status, n in pairs(counts) do table.insert(parts, status .. "=" .. n) end
  local seconds = summary.duration / 1e6
  if rate then
    local late, late_max, late_sum = 0, 0, 0
    for _, t in ipairs(threads) do
      late = late + t:get("late")
      late_sum = late_sum + t:get("late_sum")
      late_max = math.max(late_max, t:get("late_max"))
    end
    io.write(string.format(
      "offered %d/s on a schedule; sent late (> 1 ms after its slot): %d of %d (%.2f %%), by at most %.1f ms, on average %.1f ms\n",
      rate, late, summary.requests, 100 * late / math.max(1, summary.requests), late_max,
      late > 0 and late_sum / late or 0))
  end
  io.write(string.format(
    "accepted (201) %d in %.1f s: %.0f/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses {%s}; socket errors %d\n",
    counts[201] or 0, seconds, (counts[201] or 0) / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ", "),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

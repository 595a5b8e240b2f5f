-- wrk script for bench/launch_throughput.sh: every request POSTs the launch body in $BODY as the
-- user in $BASIC_AUTH (user:password); at the end, prints the answers by status and the latency
-- percentiles of all answers. Three ways to send:
-- * without $THINK_MS or $RATE, connections send back to back (saturation);
-- * with $THINK_MS, each connection waits that long after an answer before its next launch;
-- * with $RATE (launches per second, all connections together), launches are sent on a fixed
--   schedule, open loop, one connection per wrk thread (run it with as many threads as
--   connections, $THREADS, default 32): each connection has a slot every THREADS/RATE seconds,
--   the connections' slots spread evenly, and a connection whose answer came after its next slot
--   sends at once. The latency printed then is counted from the slot, not from the send
--   (corrected for coordinated omission, as wrk2 does), beside how many launches were sent late.
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
  local threads_n = tonumber(os.getenv("THREADS") or "32")
  local interval = threads_n * 1000 / rate
  local start, slots, slot = nil, 0, nil
  late, corrected = 0, {}
  function delay()
    local now = now_ms()
    -- this connection's slots are offset by its index, so that the connections do not send together
    start = start or (now + (index or 0) * interval / threads_n)
    slot = start + slots * interval
    slots = slots + 1
    if slot >= now then return math.floor(slot - now) end
    if now - slot > 1 then late = late + 1 end
    return 0
  end
  function corrected_response()
    if slot then corrected[#corrected + 1] = now_ms() - slot end
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads - 1)
end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if corrected_response then corrected_response() end
end

function done(summary, latency, requests)
  local counts, parts = {}, {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do counts[status] = (counts[status] or 0) + n end
  end
  for status, n in pairs(counts) do table.insert(parts, status .. "=" .. n) end
  local seconds = summary.duration / 1e6
  if rate then
    local late, all = 0, {}
    for _, t in ipairs(threads) do
      late = late + t:get("late")
      for _, v in ipairs(t:get("corrected")) do all[#all + 1] = v end
    end
    table.sort(all)
    local function pct(p) return #all == 0 and 0 or all[math.max(1, math.ceil(#all * p / 100))] end
    io.write(string.format(
      "offered %d/s on a schedule: latency from the slot p50 %.1f ms, p99 %.1f ms, max %.1f ms; sent late (> 1 ms after the slot) %d of %d (%.2f %%)\n",
      rate, pct(50), pct(99), #all == 0 and 0 or all[#all], late, summary.requests,
      100 * late / math.max(1, summary.requests)))
  end
  io.write(string.format(
    "accepted (201) %d in %.1f s: %.0f/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses {%s}; socket errors %d\n",
    counts[201] or 0, seconds, (counts[201] or 0) / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ", "),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

-- wrk script for bench/launch_throughput.sh: every request POSTs the launch body in $BODY as the
-- user in $BASIC_AUTH (user:password); at the end, prints the answers by status and the latency
-- percentiles of all answers. With $THINK_MS set, each connection waits that long after an answer
-- before its next launch (clients with think time, so that the offered rate stays below
-- saturation); without it, connections send back to back.
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
if think then
  function delay() return think end
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
  io.write(string.format(
    "accepted (201) %d in %.1f s: %.0f/s; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; statuses {%s}; socket errors %d\n",
    counts[201] or 0, seconds, (counts[201] or 0) / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ", "),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

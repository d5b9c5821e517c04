-- wrk: POST the batch in BATCH_FILE (or GET PATH_FILE's paths in turn) and count the answers:
-- statuses, and 503s that claim the database is down ("Database unavailable") against "Service busy".
-- With TOKENS (comma-separated), wrk's threads take one token each, in turn; else KCI_TOKEN.
local body_file = os.getenv("BATCH_FILE")
local paths = {}
local threads = {}
if body_file then
  wrk.method = "POST"
  wrk.body = io.open(body_file):read("*a")
  wrk.headers["Content-Type"] = "application/json"
else
  for line in io.lines(os.getenv("PATH_FILE")) do paths[#paths + 1] = line end
end
wrk.headers["Authorization"] = os.getenv("KCI_TOKEN")
local tokens = {}
for token in string.gmatch(os.getenv("TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = token end

function setup(thread)
  table.insert(threads, thread)
  if #tokens > 0 then
    thread:set("token", tokens[(#threads - 1) % #tokens + 1])
  end
end

function init(args)
  if token then
    wrk.headers["Authorization"] = token
  end
  counts = {}
  unavailable = 0
  busy = 0
  next_path = 1
end

function request()
  if #paths == 0 then
    return wrk.format()
  end
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 503 then
    if body and body:find("Database unavailable", 1, true) then
      unavailable = unavailable + 1
    else
      busy = busy + 1
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  local down, full = 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + n end
    down = down + thread:get("unavailable")
    full = full + thread:get("busy")
  end
  local line = "statuses"
  for status, n in pairs(total) do line = line .. " " .. status .. "=" .. n end
  print(line)
  print("unavailable " .. down)
  print("busy " .. full)
  print(string.format("p50_ms %.1f", latency:percentile(50) / 1000))
  print(string.format("p99_ms %.1f", latency:percentile(99) / 1000))
  print(string.format("max_ms %.1f", latency.max / 1000))
  print("requests " .. summary.requests)
  print("timeouts " .. summary.errors.timeout)
end

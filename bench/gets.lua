-- wrk: the dashboard's operations as plain GETs (one path per line of PATHS_FILE), in turn.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  paths[#paths + 1] = line
end
local headers = { ["Authorization"] = os.getenv("KCI_TOKEN") }
-- Formatted once, when the thread starts (as in batch.lua).
local requests, i = {}, 0

function init(args)
  for n = 1, #paths do
    requests[n] = wrk.format("GET", paths[n], headers)
  end
end

function request()
  i = i % #requests + 1
  return requests[i]
end

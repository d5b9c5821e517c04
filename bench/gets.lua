-- wrk: the dashboard's operations as plain GETs (one path per line of PATHS_FILE), in turn.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  paths[#paths + 1] = line
end
local headers = { ["Authorization"] = os.getenv("KCI_TOKEN") }
local i = 0

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end

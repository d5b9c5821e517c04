-- wrk: the write benchmark (bench/writes.sh). MODE picks what each request is:
--   reports-batch: one Appery batch of BATCH boot reports     (POST /batch)
--   reports-plain: one boot report                            (POST /boot)
--   puts-batch:    one Appery batch of BATCH PUTs on random boots (POST /batch)
--   puts-plain:    one PUT on a random boot                   (PUT /boot/<id>)
-- Boot ids to change come from IDS_FILE, one a line.
local mode = os.getenv("MODE")
local size = tonumber(os.getenv("BATCH") or "100")
local headers = { ["Authorization"] = os.getenv("KCI_TOKEN"), ["Content-Type"] = "application/json" }
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
  ids[#ids + 1] = line
end
local n = 0

local function report(i)
  return string.format('{"version":"1.0","lab_name":"lab-bench","job":"bench","kernel":"v4.%d","defconfig":"multi_v7_defconfig",'
    .. '"board":"board-%d","boot_result":"PASS","boot_time":12.5,"boot_warnings":0,"arch":"arm",'
    .. '"metadata":{"bench":true}}', i % 7, i % 50)
end

local function change()
  n = n + 1
  return string.format('{"status":"%s","warnings":%d}', n % 2 == 0 and "PASS" or "FAIL", n % 10)
end

local batch_of_reports
if mode == "reports-batch" then
  local parts = {}
  for i = 1, size do
    parts[i] = '{"method":"POST","collection":"boot","data":' .. report(i) .. '}'
  end
  batch_of_reports = "[" .. table.concat(parts, ",") .. "]"
end

function request()
  if mode == "reports-batch" then
    return wrk.format("POST", "/batch", headers, batch_of_reports)
  elseif mode == "reports-plain" then
    n = n + 1
    return wrk.format("POST", "/boot", headers, report(n))
  elseif mode == "puts-batch" then
    local parts = {}
    local start = math.random(#ids)
    for i = 1, size do
      local id = ids[(start + i * 97) % #ids + 1]
      parts[i] = '{"method":"PUT","collection":"boot","_id":"' .. id .. '","data":' .. change() .. '}'
    end
    return wrk.format("POST", "/batch", headers, "[" .. table.concat(parts, ",") .. "]")
  else
    return wrk.format("PUT", "/boot/" .. ids[math.random(#ids)], headers, change())
  end
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 and status ~= 201 then
    failures = failures + 1
    if failures < 3 then
      io.stderr:write("unexpected " .. status .. ": " .. body:sub(1, 300) .. "\n")
    end
  elseif headers["X-Batch-Errors"] then
    failures = failures + 1
    if failures < 3 then
      io.stderr:write("batch errors " .. headers["X-Batch-Errors"] .. ": " .. body:sub(1, 300) .. "\n")
    end
  end
end

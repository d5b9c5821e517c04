-- wrk: POST the dashboard batches listed in BODIES_FILE (one file a line), each thread starting at
-- a random one and taking them in turn: the mix of dashboards many people open.
-- With ETAGS_FILE (one ETag a line, the bodies' current ones), every request carries its body's
-- ETag in If-None-Match and every answer is a 304: the cost of dashboards polled while nothing
-- changed (CONTRACT.md section 9).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("KCI_TOKEN")
local bodies, etags = {}, {}
for name in io.lines(os.getenv("BODIES_FILE")) do
  -- Closed at once: wrk's event loop only takes descriptors below a few per connection.
  local file = io.open(name)
  bodies[#bodies + 1] = file:read("*a")
  file:close()
end
if os.getenv("ETAGS_FILE") then
  for tag in io.lines(os.getenv("ETAGS_FILE")) do
    etags[#etags + 1] = tag
  end
end
-- Each request is formatted once, when the thread starts: the driver shares the two cores with
-- the service, and formatting each time cost it a few percent of the 304s.
local requests, i = {}, nil

function init(args)
  for n = 1, #bodies do
    if #etags > 0 then
      wrk.headers["If-None-Match"] = etags[n]
    end
    requests[n] = wrk.format(nil, nil, nil, bodies[n])
  end
end

function request()
  i = ((i or math.random(#requests)) % #requests) + 1
  return requests[i]
end

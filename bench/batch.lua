-- wrk: POST the dashboard batch (BATCH_FILE) again and again.
wrk.method = "POST"
wrk.body = io.open(os.getenv("BATCH_FILE")):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("KCI_TOKEN")
-- With IF_NONE_MATCH set (the batch's current ETag), every answer is a 304: the cost of a
-- dashboard polled while nothing changed (CONTRACT.md section 9).
if os.getenv("IF_NONE_MATCH") then
  wrk.headers["If-None-Match"] = os.getenv("IF_NONE_MATCH")
end

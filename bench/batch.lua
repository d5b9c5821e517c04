-- wrk: POST the dashboard batch (BATCH_FILE) again and again.
wrk.method = "POST"
wrk.body = io.open(os.getenv("BATCH_FILE")):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("KCI_TOKEN")

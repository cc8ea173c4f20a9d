"""Mixed load on `vouch serve` for the crash test (tests/cli/refer_crash_slow_test.sh).

  crash_load.py load PORT KEY CODE OUT SECONDS   clicks, leads and sales from 8 keep-alive clients until the server
                                                 goes away (or SECONDS pass); writes every acknowledged lead and
                                                 sale (a 2xx was received) to OUT as JSON lines
  crash_load.py verify PORT KEY OUT              after a restart: every acknowledged lead and sale is there exactly
                                                 once (replaying it answers 200 with the first answer), the ledger
                                                 balances; prints a summary, exits 1 on any loss
"""
import http.client
import json
import sys
import threading
import time


def post(conn, path, key, body):
    conn.request("POST", path, json.dumps(body),
                 {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read()


def load(port, key, code, out, seconds):
    acked = []
    lock = threading.Lock()
    deadline = time.time() + seconds

    def client(tid):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = 0
        while time.time() < deadline:
            i += 1
            try:
                conn.request("GET", "/r/" + code, headers={"User-Agent": "Mozilla/5.0 (crash test)"})
                r = conn.getresponse()
                r.read()
                click = r.getheader("Location").split("vouch_click=")[1]
                customer = "c-%d-%d" % (tid, i)
                lead = {"click_id": click, "customer": {"external_id": customer}}
                status, data = post(conn, "/api/v1/track/lead", key, lead)
                if status in (200, 201):
                    with lock:
                        acked.append({"kind": "lead", "body": lead, "answer": json.loads(data)})
                sale = {"customer_external_id": customer, "invoice_id": "inv-%d-%d" % (tid, i),
                        "amount": 1000 + i, "currency": "USD"}
                status, data = post(conn, "/api/v1/track/sale", key, sale)
                if status in (200, 201):
                    with lock:
                        acked.append({"kind": "sale", "body": sale, "answer": data.decode()})
            except (OSError, http.client.HTTPException, AttributeError, IndexError):
                return  # the server is gone

    threads = [threading.Thread(target=client, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out, "w") as f:
        for a in acked:
            f.write(json.dumps(a) + "\n")
    print("acknowledged %d leads, %d sales" % (sum(a["kind"] == "lead" for a in acked),
                                               sum(a["kind"] == "sale" for a in acked)))


def verify(port, key, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lost = 0
    leads = sales = 0
    for line in open(out):
        a = json.loads(line)
        if a["kind"] == "lead":
            leads += 1
            status, data = post(conn, "/api/v1/track/lead", key, a["body"])
            if status != 200 or json.loads(data)["lead_id"] != a["answer"]["lead_id"]:
                lost += 1
                print("LOST lead", a["body"], status, data[:200])
        else:
            sales += 1
            status, data = post(conn, "/api/v1/track/sale", key, a["body"])
            if status != 200 or data.decode() != a["answer"]:
                lost += 1
                print("LOST sale", a["body"]["invoice_id"], status, data[:200])
    conn.request("GET", "/api/v1/ledger", headers={"Authorization": "Bearer " + key})
    r = conn.getresponse()
    ledger = json.loads(r.read())
    print("verified %d leads, %d sales after the crash: %d lost; ledger %s" % (leads, sales, lost, ledger))
    if lost or not ledger["balanced"] or sales == 0:
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], float(sys.argv[6]))
    else:
        verify(int(sys.argv[2]), sys.argv[3], sys.argv[4])

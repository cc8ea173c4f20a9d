"""Mixed load on `vouch serve` for the crash test (tests/cli/refer_crash_slow_test.sh).

  crash_load.py load PORT KEY CODE OUT SECONDS   clicks, leads, sales and refunds (every third sale is refunded)
                                                 from 8 keep-alive clients until the server goes away (or SECONDS
                                                 pass); writes every acknowledged click (a 302 came back), lead,
                                                 sale and refund (a 2xx came back) to OUT as JSON lines
  crash_load.py verify PORT KEY OUT              after a restart, reading before writing anything: every
                                                 acknowledged sale and refund has exactly one outbox event and its
                                                 commissions are there once (reversed when refunded), every outbox
                                                 row is intact, the ledger balances; then replays: every lead and
                                                 sale answers as it first did, every acknowledged click id is
                                                 accepted by a lead. Prints a summary, exits 1 on any loss.
  crash_load.py receive PORT SECRET LOG          a webhook receiver: verifies each POST's signature, answers 200,
                                                 appends {"event_id", "type", "verified"} to LOG (the test appends
                                                 {"mark": "restart"} while no server runs)
  crash_load.py pending PORT KEY HOOK OUT        with the restarted server not delivering (--no-webhooks): every
                                                 outbox event and whether its delivery to HOOK was recorded as
                                                 delivered before the kill, to OUT
  crash_load.py delivered PORT KEY HOOK PENDING LOG SECONDS
                                                 with delivery running again: waits until every outbox event is
                                                 recorded delivered, then checks the receiver's LOG: every event
                                                 pending at the restart arrived exactly once after it, none that
                                                 was recorded delivered arrived again, every event arrived at
                                                 least once in all, every signature verified
"""
import collections
import http.client
import json
import sys
import threading
import time


def request(conn, method, path, key, body=None):
    headers = {"Authorization": "Bearer " + key}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body, headers)
    r = conn.getresponse()
    return r.status, r.read()


def load(port, key, code, out, seconds):
    acked = []
    lock = threading.Lock()
    deadline = time.time() + seconds

    def ack(kind, body, answer):
        with lock:
            acked.append({"kind": kind, "body": body, "answer": answer})

    def client(tid):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = 0
        while time.time() < deadline:
            i += 1
            try:
                conn.request("GET", "/r/" + code, headers={"User-Agent": "Mozilla/5.0 (crash test)"})
                r = conn.getresponse()
                r.read()
                if r.status != 302:
                    continue
                click = r.getheader("Location").split("vouch_click=")[1]
                ack("click", {"click_id": click}, None)
                customer = "c-%d-%d" % (tid, i)
                lead = {"click_id": click, "customer": {"external_id": customer}}
                status, data = request(conn, "POST", "/api/v1/track/lead", key, lead)
                if status in (200, 201):
                    ack("lead", lead, json.loads(data))
                sale = {"customer_external_id": customer, "invoice_id": "inv-%d-%d" % (tid, i),
                        "amount": 1000 + i, "currency": "USD"}
                status, data = request(conn, "POST", "/api/v1/track/sale", key, sale)
                if status in (200, 201):
                    ack("sale", sale, data.decode())
                    if i % 3 == 0:
                        refund = {"invoice_id": sale["invoice_id"]}
                        status, data = request(conn, "POST", "/api/v1/track/refund", key, refund)
                        if status in (200, 201):
                            ack("refund", refund, json.loads(data))
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
    kinds = collections.Counter(a["kind"] for a in acked)
    print("acknowledged %d clicks, %d leads, %d sales, %d refunds" % (kinds["click"], kinds["lead"], kinds["sale"],
                                                                      kinds["refund"]))


def pages(conn, key, path):
    cursor = None
    while True:
        sep = "&" if "?" in path else "?"
        status, data = request(conn, "GET", path + sep + "limit=10000" + ("&cursor=" + cursor if cursor else ""), key)
        if status != 200:
            raise SystemExit("GET %s answered %d: %s" % (path, status, data[:200]))
        page = json.loads(data)
        yield from page["data"]
        cursor = page["next_cursor"]
        if not cursor:
            return


def verify(port, key, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    acked = [json.loads(line) for line in open(out)]
    problems = []

    # 1. Read the state as the crash left it, before any replay could write.
    events = list(pages(conn, key, "/api/v1/events"))
    per_invoice = collections.Counter()
    for e in events:
        if not isinstance(e.get("data"), dict) or not e.get("type"):
            problems.append("outbox row %s is not intact: %s" % (e.get("id"), e))
        elif "invoice_id" in e["data"] and e["type"] in ("sale.created", "refund.created"):
            per_invoice[(e["type"], e["data"]["invoice_id"])] += 1
    commissions = collections.defaultdict(list)
    for c in pages(conn, key, "/api/v1/commissions"):
        commissions[c["invoice_id"]].append(c)
    refunded = {a["body"]["invoice_id"] for a in acked if a["kind"] == "refund"}
    for a in acked:
        if a["kind"] == "sale":
            invoice = a["body"]["invoice_id"]
            if per_invoice[("sale.created", invoice)] != 1:
                problems.append("sale %s: %d sale.created events" % (invoice, per_invoice[("sale.created", invoice)]))
            answered = sorted(c["id"] for c in json.loads(a["answer"])["commissions"])
            stored = sorted(c["id"] for c in commissions.get(invoice, []))
            if answered != stored:
                problems.append("sale %s: commissions %s answered, %s stored" % (invoice, answered, stored))
        elif a["kind"] == "refund":
            invoice = a["body"]["invoice_id"]
            if per_invoice[("refund.created", invoice)] != 1:
                problems.append("refund %s: %d refund.created events" % (invoice,
                                                                         per_invoice[("refund.created", invoice)]))
            if any(c["status"] != "reversed" for c in commissions.get(invoice, [])):
                problems.append("refund %s: a commission is not reversed" % invoice)
    status, data = request(conn, "GET", "/api/v1/ledger", key)
    ledger = json.loads(data)
    if not ledger.get("balanced"):
        problems.append("ledger does not balance: %s" % ledger)

    # 2. Replays: leads and sales answer what they first answered; every answered click id is stored.
    for a in acked:
        if a["kind"] == "lead":
            status, data = request(conn, "POST", "/api/v1/track/lead", key, a["body"])
            if status != 200 or json.loads(data)["lead_id"] != a["answer"]["lead_id"]:
                problems.append("lead %s: replay answered %d %s" % (a["body"], status, data[:200]))
        elif a["kind"] == "sale":
            status, data = request(conn, "POST", "/api/v1/track/sale", key, a["body"])
            if status != 200 or data.decode() != a["answer"]:
                problems.append("sale %s: replay answered %d %s" % (a["body"]["invoice_id"], status, data[:200]))
        elif a["kind"] == "click":
            lead = {"click_id": a["body"]["click_id"], "customer": {"external_id": "verify-" + a["body"]["click_id"]}}
            status, data = request(conn, "POST", "/api/v1/track/lead", key, lead)
            if status not in (200, 201):
                problems.append("click %s: lost (%d %s)" % (a["body"]["click_id"], status, data[:200]))

    kinds = collections.Counter(a["kind"] for a in acked)
    for p in problems[:20]:
        print("LOST or WRONG:", p)
    print("verified %d clicks, %d leads, %d sales, %d refunds after the crash: %d problems; %d outbox events intact "
          "(%d sale.created, %d refund.created); ledger %s" % (
              kinds["click"], kinds["lead"], kinds["sale"], kinds["refund"], len(problems), len(events),
              sum(v for (t, _), v in per_invoice.items() if t == "sale.created"),
              sum(v for (t, _), v in per_invoice.items() if t == "refund.created"), json.dumps(ledger)))
    if problems or kinds["sale"] == 0 or kinds["refund"] == 0:
        sys.exit(1)


def receive(port, secret, log):
    import hashlib
    import hmac
    import http.server
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            parts = dict(p.split("=", 1) for p in self.headers.get("Vouch-Signature", "").split(",") if "=" in p)
            mac = hmac.new(secret.encode(), parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
            event = json.loads(body)
            line = {"event_id": int(self.headers["Vouch-Event-Id"]), "type": self.headers["Vouch-Event-Type"],
                    "body_id": event.get("id"), "verified": hmac.compare_digest(mac, parts.get("v1", ""))}
            with lock, open(log, "a") as f:
                f.write(json.dumps(line) + "\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def deliveries(conn, key, hook):
    status, data = request(conn, "GET", "/api/v1/webhooks/%s/deliveries?limit=10000" % hook, key)
    if status != 200:
        raise SystemExit("GET deliveries answered %d: %s" % (status, data[:200]))
    return {d["event_id"]: d for d in json.loads(data)["data"]}


def pending(port, key, hook, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    events = list(pages(conn, key, "/api/v1/events"))
    recorded = deliveries(conn, key, hook)
    state = {e["id"]: recorded.get(e["id"], {}).get("status", "not fanned out") for e in events}
    with open(out, "w") as f:
        json.dump({str(k): v for k, v in state.items()}, f)
    print("at the restart: %d outbox events, %d recorded delivered, %d pending (%d not yet fanned out)" % (
        len(state), sum(v == "delivered" for v in state.values()), sum(v != "delivered" for v in state.values()),
        sum(v == "not fanned out" for v in state.values())))


def delivered(port, key, hook, pending_file, log, seconds):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    state = {int(k): v for k, v in json.load(open(pending_file)).items()}
    deadline = time.time() + seconds
    while True:
        recorded = deliveries(conn, key, hook)
        undelivered = [e for e in state if recorded.get(e, {}).get("status") != "delivered"]
        if not undelivered or time.time() > deadline:
            break
        time.sleep(0.2)
    time.sleep(0.5)  # a delivery is recorded after its answer: nothing more should come, give it the chance
    before, after = collections.Counter(), collections.Counter()
    unverified = 0
    seen = before
    for line in open(log):
        r = json.loads(line)
        if r.get("mark") == "restart":
            seen = after
            continue
        seen[r["event_id"]] += 1
        unverified += 0 if r["verified"] and r["body_id"] == r["event_id"] else 1
    problems = []
    if undelivered:
        problems.append("%d events not delivered after %ss (first %s)" % (len(undelivered), seconds, undelivered[:5]))
    for e, was in sorted(state.items()):
        if was == "delivered" and after[e] != 0:
            problems.append("event %d: recorded delivered before the kill, sent %d more times" % (e, after[e]))
        if was != "delivered" and after[e] != 1:
            problems.append("event %d: pending at the restart (%s), received %d times after it" % (e, was, after[e]))
        if before[e] + after[e] == 0:
            problems.append("event %d: never received" % e)
    unknown = set(before) | set(after)
    unknown -= set(state)
    if unknown:
        problems.append("received events that are not in the outbox: %s" % sorted(unknown)[:5])
    if unverified:
        problems.append("%d deliveries with a bad signature or event id" % unverified)
    for p in problems[:20]:
        print("NOT DELIVERED or DUPLICATED:", p)
    was_pending = [e for e, v in state.items() if v != "delivered"]
    resent = sum(1 for e, v in state.items() if v != "delivered" and before[e] > 0)
    print("outbox after the restart: %d events, %d were pending and each was delivered exactly once after the "
          "restart (%d of them had reached the receiver before the kill without being recorded: at least once "
          "across the kill, deduplicated on the event id); %d problems" % (len(state), len(was_pending), resent,
                                                                           len(problems)))
    if problems or not was_pending:
        sys.exit(1)


if __name__ == "__main__":
    if sys.argv[1] == "load":
        load(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], float(sys.argv[6]))
    elif sys.argv[1] == "receive":
        receive(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "pending":
        pending(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "delivered":
        delivered(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], float(sys.argv[7]))
    else:
        verify(int(sys.argv[2]), sys.argv[3], sys.argv[4])

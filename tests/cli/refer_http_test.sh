# vouch serve's HTTP/1.1 transport on loopback, below what curl shows: pipelined keep-alive requests, HTTP/1.0,
# Connection: close, HEAD and query strings on the redirect's hot path, unknown codes, malformed requests (400),
# oversized bodies (413), and concurrent clicks each getting their own click id.
expect_exit 0 "$VOUCH" init "$TMP/ws"
KEY="$("$VOUCH" keys create --scope write --workspace "$TMP/ws")"
start_server --max-body 1024
API="http://127.0.0.1:$PORT/api/v1"
AUTH="Authorization: Bearer $KEY"
curl -sf -H "$AUTH" "$API/programs" -d '{"name":"P","destination_url":"https://shop.example/w",
  "rewards":[{"event":"sale","type":"percent","value":10}]}' >/dev/null || fail "program"
curl -sf -H "$AUTH" "$API/advocates" -d '{"name":"Jane","email":"jane@example.com"}' >/dev/null || fail "advocate"
curl -sf -H "$AUTH" "$API/links" -d '{"program_id":1,"advocate_id":1,"code":"JANE"}' >/dev/null || fail "link"

python3 - "$PORT" > "$TMP/http.out" 2>&1 <<'PYEOF' || fail "$(cat "$TMP/http.out")"
import socket, sys, threading
port = int(sys.argv[1])

def exchange(raw, expect_close=False):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(raw)
    data = b""
    if expect_close:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    else:
        s.settimeout(1.0)
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
    s.close()
    return data

def check(cond, what, data):
    if not cond:
        sys.exit("FAIL %s: %r" % (what, data[:600]))

ua = b"User-Agent: Mozilla/5.0 (test)\r\n"
# Two pipelined requests on one connection: two answers, in order.
d = exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /r/JANE HTTP/1.1\r\nHost: x\r\n" + ua + b"\r\n")
check(d.count(b"HTTP/1.1 ") == 2 and d.index(b"200 OK") < d.index(b"302 Found"), "pipelined", d)
# HTTP/1.0 without keep-alive: answered in 1.0, then closed.
d = exchange(b"GET /healthz HTTP/1.0\r\n\r\n", expect_close=True)
check(d.startswith(b"HTTP/1.0 200") and b'"ok"' in d, "HTTP/1.0", d)
# Connection: close is honoured and announced.
d = exchange(b"GET /r/JANE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + ua + b"\r\n", expect_close=True)
check(d.startswith(b"HTTP/1.1 302") and b"Connection: close\r\n" in d, "Connection: close", d)
check(b"Location: https://shop.example/w?vouch_click=" in d and d.count(b"Set-Cookie: ") == 2, "redirect headers", d)
# The same visitor again (its cookie among others): stored, not counted (a repeat). A prefetch (the marker's
# name in lower case): stored, not counted.
vid = d.split(b"vouch_vid=")[1].split(b";")[0]
d = exchange(b"GET /r/JANE HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: a=1; vouch_vid=" + vid + b"; b=2\r\n" +
             ua + b"\r\n", True)
check(d.startswith(b"HTTP/1.1 302"), "repeat visitor", d)
d = exchange(b"GET /r/JANE HTTP/1.1\r\nHost: x\r\nConnection: close\r\nsec-purpose: prefetch\r\n" + ua + b"\r\n",
             True)
check(d.startswith(b"HTTP/1.1 302"), "prefetch", d)
# A query string after the code; HEAD gets the headers and no body.
d = exchange(b"GET /r/JANE?utm_source=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + ua + b"\r\n", True)
check(d.startswith(b"HTTP/1.1 302"), "code with a query", d)
d = exchange(b"HEAD /r/JANE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + ua + b"\r\n", True)
check(d.startswith(b"HTTP/1.1 302") and d.endswith(b"\r\n\r\n"), "HEAD", d)
# Unknown code, malformed request, oversized body.
d = exchange(b"GET /r/NOSUCHCODE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", True)
check(d.startswith(b"HTTP/1.1 404") and b'"error"' in d, "unknown code", d)
d = exchange(b"BLAH\x01 / HTTP/9\r\n\r\n", True)
check(d.startswith(b"HTTP/1.1 400") and b"malformed HTTP request" in d, "malformed", d)
body = b"{" + b" " * 2000 + b"}"
d = exchange(b"POST /api/v1/programs HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body, True)
check(d.startswith(b"HTTP/1.1 413") and b"payload_too_large" in d, "oversized body", d)
# Concurrent clicks: every answer its own click id.
ids, lock = [], threading.Lock()
def click():
    d = exchange(b"GET /r/JANE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + ua + b"\r\n", True)
    with lock:
        ids.append(d.split(b"vouch_click=")[1].split(b"\r\n")[0] if b"vouch_click=" in d else None)
threads = [threading.Thread(target=click) for _ in range(32)]
[t.start() for t in threads]
[t.join() for t in threads]
check(None not in ids and len(set(ids)) == 32, "concurrent clicks", repr(ids).encode())
print("ok")
PYEOF
LINK="$(curl -sf -H "$AUTH" "$API/links/JANE")"
# 1 pipelined + 1 close + 1 repeat + 1 prefetch + 1 query + 1 HEAD + 32 concurrent raw clicks were stored; the
# repeat, the prefetch and the HEAD were not counted.
echo "$LINK" | grep -q '"raw_clicks":38' || fail "raw clicks stored: $LINK"
echo "$LINK" | grep -q '"clicks":35,' || fail "clicks counted: $LINK"

#!/bin/sh
# End-to-end test of `dossier serve` under hostile use (issue 11, finding
# 13): a wrong Host header (DNS rebinding) is refused, a flood of 1,100 slow
# clients does not keep a normal request from being answered, and pages
# requested while the site is rebuilt again and again are never 404.
# Loopback only; every loop is bounded by a count and the flood closes its
# sockets by itself. Prints "N passed, N failed".
#
# The two load tests need python3 (in `make deps`); the slow clients come
# from 127.0.0.2 (Linux routes all of 127/8 to the loopback interface), the
# normal requests from 127.0.0.1: two different clients.
cd "$(dirname "$0")/../.." || exit 2
SERVE_TMP_NAME=dossier-serve-hostile . tests/e2e/lib_serve.sh
bin=$BIN
finish() {
	if [ "$fail" -gt 0 ] && [ -f "$tmp/err.log" ]; then
		echo "--- server output"
		sed 's/^/  | /' "$tmp/out.log" "$tmp/err.log" | tail -n 30
	fi
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

for tool in curl python3; do
	if ! command -v $tool >/dev/null 2>&1; then
		bad "$tool available (it belongs in make deps)"
		finish
	fi
done

mkdir -p "$tmp/site"
cp -R tests/fixtures/basic/. "$tmp/site/"
cp -R themes "$tmp/site/themes"
: >"$tmp/out.log"
# Under the usual default limit of 1,024 open files, as on a developer's
# machine or a CI runner (the flood below outnumbers it).
(ulimit -n 1024 && exec "$bin" serve --port 0 -C "$tmp/site") >"$tmp/out.log" 2>"$tmp/err.log" &
server=$!
port=""
i=0
while [ $i -lt 600 ] && [ -z "$port" ]; do
	port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9][0-9]*\)/ (Ctrl-C to stop)$|\1|p' "$tmp/out.log")
	[ -n "$port" ] || { kill -0 "$server" 2>/dev/null || break; sleep 0.2; }
	i=$((i + 1))
done
if [ -z "$port" ]; then
	bad "dossier serve starts"
	finish
fi
URL="http://127.0.0.1:$port"
ok "dossier serve on $URL"

# --- Host (DNS rebinding) ------------------------------------------------------
code() { curl -s -o "$tmp/body" -w '%{http_code}' --max-time 20 "$@" || echo 000; }
check "Host 127.0.0.1:$port is answered" [ "$(code "$URL/")" = 200 ]
check "Host localhost:$port is answered" [ "$(code -H "Host: localhost:$port" "$URL/")" = 200 ]
check "Host evil.example:$port is refused (421)" \
	[ "$(code -H "Host: evil.example:$port" "$URL/")" = 421 ]
check "the refusal shows no page" sh -c "! grep -q '<html' '$tmp/body'"
check "a rebound name is refused for the status too" \
	[ "$(code -H "Host: attacker.example:$port" "$URL/__dossier/status")" = 421 ]
check "Host with another port is refused" \
	[ "$(code -H "Host: 127.0.0.1:1" "$URL/")" = 421 ]
check "Host localhost.evil.example is refused" \
	[ "$(code -H "Host: localhost.evil.example:$port" "$URL/")" = 421 ]

# --- 1,100 slow clients ------------------------------------------------------------
# Each opens a connection from 127.0.0.2 and sends a request header one
# byte a second, never finishing it (so an idle timeout alone never frees
# them); meanwhile normal requests from 127.0.0.1 must get their pages.
# The 60 s socket timeout only bounds a request that would never be
# answered (the old server held every file descriptor for as long as the
# trickle went on); the assertion is the status. The flood stops by itself
# once the normal requests are done, or after 60 s.
cat >"$tmp/flood.py" <<'EOF'
import resource, socket, sys, threading, time
port = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
slow, opened = [], 0
for i in range(1100):
    s = socket.socket()
    s.settimeout(5)
    try:
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nX-Slow: " % port)
        opened += 1
        slow.append(s)
    except OSError:
        s.close()
print("opened", opened, flush=True)
def normal(path):
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=60,
                                     source_address=("127.0.0.1", 0))
        c.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % (path, port))
        data = b""
        while True:
            b = c.recv(65536)
            if not b:
                break
            data += b
        c.close()
    except OSError:
        return "error"
    return data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "none"
result = []
t = threading.Thread(target=lambda: result.extend([normal(b"/"), normal(b"/topics/costs.html")]), daemon=True)
t.start()
deadline = time.time() + 60
while t.is_alive() and time.time() < deadline:
    for s in list(slow):
        try:
            s.send(b"x")
        except OSError:
            slow.remove(s)
            s.close()
    t.join(1)
print("normal", *result)
for s in slow:
    s.close()
EOF
python3 "$tmp/flood.py" "$port" >"$tmp/flood.out" 2>&1
cat "$tmp/flood.out" | sed 's/^/  | /'
check "1,100 slow clients connected" grep -qx "opened 1100" "$tmp/flood.out"
check "1,100 slow clients: a normal request is answered" \
	grep -qx "normal 200 200" "$tmp/flood.out"
check "the server is still up after the flood" [ "$(code "$URL/")" = 200 ]

# --- requests during rebuilds ---------------------------------------------------
# 30 rebuilds (each waited for through /__dossier/status, at most 300 polls),
# while two clients keep requesting pages that exist in every build.
cat >"$tmp/rebuild.py" <<'EOF'
import http.client, json, sys, threading, time
port, page = int(sys.argv[1]), sys.argv[2]
paths = ["/", "/topics/costs.html", "/articles/example-source.html",
         "/style.css", "/entities/meta.html", "/topics/"]
stop = False
counts = {}
lock = threading.Lock()
def client():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while not stop:
        p = paths[n % len(paths)]
        n += 1
        try:
            c.request("GET", p)
            r = c.getresponse()
            r.read()
            code = r.status
        except Exception:
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            code = "error"
        with lock:
            counts[code] = counts.get(code, 0) + 1
            if code != 200:
                print("got", code, "for", p, flush=True)
def build_number():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/__dossier/status")
    b = json.loads(c.getresponse().read())
    c.close()
    return b["build"]
threads = [threading.Thread(target=client) for _ in range(2)]
for t in threads:
    t.start()
done = 0
for i in range(30):
    before = build_number()
    with open(page, "a") as f:
        f.write("\nrebuild %d\n" % i)
    for _ in range(300):
        if build_number() > before:
            done += 1
            break
        time.sleep(0.05)
stop = True
for t in threads:
    t.join()
print("rebuilds", done)
print("requests", sum(counts.values()))
print("non-200", sum(v for k, v in counts.items() if k != 200))
EOF
python3 "$tmp/rebuild.py" "$port" "$tmp/site/content/_index.md" >"$tmp/rebuild.out" 2>&1
sed 's/^/  | /' "$tmp/rebuild.out" | tail -n 8
check "30 rebuilds happened" grep -qx "rebuilds 30" "$tmp/rebuild.out"
check "requests were made during them" sh -c "[ \"\$(sed -n 's/^requests //p' '$tmp/rebuild.out')\" -gt 100 ]"
check "no request failed or got 404 during rebuilds" grep -qx "non-200 0" "$tmp/rebuild.out"

stop_server
finish

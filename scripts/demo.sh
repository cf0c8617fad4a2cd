#!/usr/bin/env bash
# `make demo`: start modportal-sim on loopback, queue sample images for a few mods,
# work the queue (a progress line on a terminal, then the end-of-run summary), then show
# status, history, jobs and verify; then queue a few more images (one fails, one stays queued)
# and start the dashboard (`serve`) on the demo's queue, printing its URL. On a terminal it
# serves until Enter or Ctrl-C; when stdin is not a terminal (CI, a pipe) it fetches the
# overview once, prints its title, and stops, so the demo never waits for a key nobody presses.
# DEMO_SCREENSHOT=path.png also saves a screenshot of a mod page with headless Chromium.
# Everything lives in ./demo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
RUN=demo-run
rm -rf "$RUN"
mkdir -p "$RUN/galleries"

# Sample screenshots, one folder per mod: small real PNGs, different pixels each (a sky, a
# planet and rings, in each mod's own colours); `extra` holds the ones queued after the run.
python3 - "$RUN/galleries" "$RUN/extra" <<'PY'
import colorsys, math, os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
def picture(path, hue, n):
    w, h = 240, 150
    cx, cy, r = 60 + 45 * n, 75 + 10 * (n % 3) - 10, 26 + 6 * n
    rows = []
    for y in range(h):
        row = bytearray(b"\x00")
        for x in range(w):
            d = math.hypot(x - cx, y - cy)
            if d < r:
                light = 0.35 + 0.5 * max(0.0, 1 - math.hypot(x - cx + r / 3, y - cy + r / 3) / (1.4 * r))
                rgb = colorsys.hls_to_rgb((hue + 0.5) % 1, light, 0.65)
            elif abs(d - r * 1.6) < 2.2 and abs(y - cy) < r * 0.55:
                rgb = colorsys.hls_to_rgb((hue + 0.08) % 1, 0.75, 0.7)
            else:
                star = (x * 7919 + y * 104729 + n) % 211 == 0
                rgb = (1, 1, 1) if star else colorsys.hls_to_rgb(hue, 0.12 + 0.22 * y / h, 0.6)
            row += bytes(int(c * 255) for c in rgb)
        rows.append(bytes(row))
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").write(png)
for mod, count, hue in (("space-exploration-demo", 3, 0.62), ("belt-balancer-demo", 2, 0.08), ("solar-calc-demo", 2, 0.14)):
    for n in range(1, count + 1):
        picture(f"{sys.argv[1]}/{mod}/{n:02d}-screenshot.png", hue, n)
for n, name in ((4, "04-orbit.png"), (5, "05-changed.png"), (6, "06-landing.png")):
    picture(f"{sys.argv[2]}/{name}", 0.62 + 0.05 * n, n % 4)
PY

"$BIN/modportal-sim" --port 0 --api-key demo-key --latency 150 > "$RUN/sim.out" 2> "$RUN/sim.log" &
SIM_PID=$!
SERVE_PID=
trap 'kill $SIM_PID $SERVE_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$RUN/sim.out" ] && break; sleep 0.1; done
PORTAL=$(head -n 1 "$RUN/sim.out")
echo "modportal-sim is serving at $PORTAL"

export MODIMG_QUEUE_DB="$PWD/$RUN/queue.sqlite3"
export MODIMG_PORTAL_URL="$PORTAL"
export MOD_EDIT_API_KEY=demo-key
Q="$BIN/modimg-queue"

echo; echo "\$ modimg-queue enqueue $RUN/galleries --dry-run"
$Q enqueue "$RUN/galleries" --dry-run

echo; echo "\$ modimg-queue enqueue $RUN/galleries"
$Q enqueue "$RUN/galleries"

echo; echo "\$ modimg-queue enqueue $RUN/galleries   # again: nothing is queued twice"
$Q enqueue "$RUN/galleries"

echo; echo "\$ modimg-queue status"
$Q status

echo; echo "\$ modimg-queue work --rate 10/s"
$Q work --rate 10/s

echo; echo "\$ modimg-queue status"
$Q status
for mod in space-exploration-demo belt-balancer-demo solar-calc-demo; do
    echo; echo "\$ modimg-queue history $mod"
    $Q history "$mod"
done
echo; echo "\$ modimg-queue jobs --limit 5"
$Q jobs --limit 5
echo; echo "\$ modimg-queue log 4"
$Q log 4
echo; echo "\$ modimg-queue verify --rate 10/s   # the portal's galleries against this queue's history"
$Q verify --rate 10/s
echo; echo "The simulator's gallery of space-exploration-demo (GET /api/mods/space-exploration-demo/full):"
python3 -c "import json,sys,urllib.request; print([i['id'][:12] for i in json.load(urllib.request.urlopen(sys.argv[1]))['images']])" "$PORTAL/api/mods/space-exploration-demo/full"

echo; echo "\$ modimg-queue upload space-exploration-demo $RUN/extra/04-orbit.png $RUN/extra/05-changed.png"
$Q upload space-exploration-demo "$RUN/extra/04-orbit.png" "$RUN/extra/05-changed.png"
printf 'not the image that was queued' > "$RUN/extra/05-changed.png"
echo "(05-changed.png is overwritten after it was queued: the worker refuses to send it)"
echo; echo "\$ modimg-queue work --rate 10/s --no-progress"
$Q work --rate 10/s --no-progress || echo "(work exits 1: one job failed, as arranged)"
echo; echo "\$ modimg-queue upload space-exploration-demo $RUN/extra/06-landing.png   # queued, not worked"
$Q upload space-exploration-demo "$RUN/extra/06-landing.png"

echo; echo "\$ modimg-queue serve --port ${DEMO_PORT:-0}"
$Q serve --port "${DEMO_PORT:-0}" > "$RUN/serve.out" 2> "$RUN/serve.log" &
SERVE_PID=$!
for _ in $(seq 1 100); do [ -s "$RUN/serve.out" ] && break; sleep 0.1; done
DASHBOARD=$(head -n 1 "$RUN/serve.out")
[ -n "$DASHBOARD" ] || { echo "serve did not start:"; cat "$RUN/serve.log"; exit 1; }
# The printed URL carries this start's token (…/?token=…); it works for any path.
BASE=${DASHBOARD%%\?*}
TOKEN=${DASHBOARD#*\?}
echo "the dashboard is at $DASHBOARD (a mod: ${BASE}mods/space-exploration-demo?$TOKEN)"
if [ -n "${DEMO_SCREENSHOT:-}" ]; then
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$PWD/$RUN/chromium" \
        --window-size=1000,900 --screenshot="$DEMO_SCREENSHOT" "${BASE}mods/space-exploration-demo?$TOKEN" 2> /dev/null
    echo "screenshot of the mod page: $DEMO_SCREENSHOT"
fi
if [ -t 0 ]; then
    echo "open it in a browser; press Enter (or Ctrl-C) to stop the dashboard and the simulator."
    read -r _ || true
else
    # Not a terminal: nobody can press Enter. Show that it answers, then stop.
    # With a cookie jar, as a browser: the token is exchanged for the session cookie on the way.
    python3 -c "import re,sys,urllib.request as u; o=u.build_opener(u.HTTPCookieProcessor()); print('GET / ->', re.search(r'<title>(.*?)</title>', o.open(sys.argv[1]).read().decode()).group(1))" "$DASHBOARD"
    echo "(stdin is not a terminal: stopping the dashboard now; run make demo in a terminal to keep it up)"
fi

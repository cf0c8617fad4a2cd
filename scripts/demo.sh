#!/usr/bin/env bash
# `make demo`: start modportal-sim on loopback, queue sample images for a few mods,
# work the queue (a progress line on a terminal, then the end-of-run summary), then show
# status, history, jobs and verify. Everything lives in ./demo-run.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
RUN=demo-run
rm -rf "$RUN"
mkdir -p "$RUN/galleries"

# Sample screenshots, one folder per mod: small real PNGs, different pixels each.
python3 - "$RUN/galleries" <<'PY'
import os, struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
for mod, count in (("space-exploration-demo", 3), ("belt-balancer-demo", 2), ("solar-calc-demo", 2)):
    for n in range(1, count + 1):
        w = h = 64
        seed = sum(map(ord, mod)) * 7 + n * 40
        rows = b"".join(b"\x00" + b"".join(bytes(((x * 3 + seed) % 256, (y * 5 + seed * 2) % 256, (x ^ y ^ seed) % 256)) for x in range(w)) for y in range(h))
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
        folder = f"{sys.argv[1]}/{mod}"
        os.makedirs(folder, exist_ok=True)
        open(f"{folder}/{n:02d}-screenshot.png", "wb").write(png)
PY

"$BIN/modportal-sim" --port 0 --api-key demo-key --latency 150 > "$RUN/sim.out" 2> "$RUN/sim.log" &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
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

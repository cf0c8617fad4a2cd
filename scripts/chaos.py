#!/usr/bin/env python3
"""`make chaos`: queue a few hundred uploads and reorders, work them against modportal-sim
with faults on while SIGKILLing the worker at random moments (and inside SQLite commits),
then check the portal's state against what was asked. Uses only the built binaries.

Prints one summary line and exits non-zero on any loss, duplicate upload or unfinished job.
"""
import argparse, hashlib, json, os, random, shutil, signal, struct, subprocess, sys, tempfile, time, urllib.request, zlib

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=int(time.time()) % 100000)
parser.add_argument("--mods", type=int, default=30)
parser.add_argument("--images", type=int, default=12, help="images per mod")
parser.add_argument("--kills", type=int, default=60, help="SIGKILLs from outside, at least")
parser.add_argument("--bin", default=os.environ.get("BIN", ".build/debug"))
parser.add_argument("--short", action="store_true", help="a quick run for make test")
parser.add_argument("--keep", action="store_true", help="keep the work folder")
args = parser.parse_args()
if args.short:
    args.mods, args.images, args.kills = 6, 5, 12

rng = random.Random(args.seed)
BIN = os.path.abspath(args.bin)
work = tempfile.mkdtemp(prefix="modimg-chaos-")
db = os.path.join(work, "queue.sqlite3")
tree = os.path.join(work, "tree")


def png(seed, big):
    """A real PNG; `big` ones are ~256 KiB so kills land inside upload bodies."""
    r = random.Random(seed)
    w, h = (256, 256) if big else (16, 16)
    rows = b"".join(b"\x00" + bytes(r.getrandbits(8) for _ in range(w * 4)) for _ in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


expected = {}
for m in range(args.mods):
    mod = f"chaos-mod-{m:02d}"
    os.makedirs(os.path.join(tree, mod))
    for i in range(args.images):
        data = png(args.seed * 100000 + m * 1000 + i, big=(i % 4 == 0))
        with open(os.path.join(tree, mod, f"{i:03d}.png"), "wb") as f:
            f.write(data)
        expected.setdefault(mod, []).append(hashlib.sha1(data).hexdigest())

faults = ["reset=0.03", "internal-error=0.03", "html-error=0.03", "truncated=0.03", "slow=0.02",
          "burst-429=0.005", "lost-upload=0.06"]
sim_cmd = [f"{BIN}/modportal-sim", "--port", "0", "--api-key", "chaos-key", "--seed", str(args.seed),
           "--latency", "25", "--slow-ms", "1500", "--burst-length", "3", "--upload-url-ttl", "4"]
for fault in faults:
    sim_cmd += ["--fault", fault]
sim = subprocess.Popen(sim_cmd, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "sim.log"), "w"), text=True)
base = sim.stdout.readline().strip()
if not base.startswith("http"):
    sys.exit(f"chaos: modportal-sim did not start: {base!r}")

env = dict(os.environ, MOD_EDIT_API_KEY="chaos-key", MODIMG_PORTAL_URL=base, MODIMG_QUEUE_DB=db)
Q = f"{BIN}/modimg-queue"
worker_args = ["work", "--rate", "200/s", "--concurrency", "3", "--lease", "2", "--timeout", "1",
               "--retry-base", "0.05", "--max-attempts", "200", "--quiet"]
log = open(os.path.join(work, "workers.log"), "w")


def sim_state():
    with urllib.request.urlopen(base + "/__sim/state") as r:
        return json.load(r)


def queue(*cmd):
    return subprocess.run([Q, *cmd], env=env, capture_output=True, text=True)


started = time.time()
summary = {}
try:
    enq = queue("enqueue", tree)
    if enq.returncode != 0:
        sys.exit(f"chaos: enqueue failed: {enq.stderr.strip()}")
    jobs = sum(json.loads(queue("status", "--json").stdout)["total"].values())

    kills = commit_kills = in_added = 0
    runs = 0
    while kills < args.kills:
        runs += 1
        run_env = dict(env)
        if runs % 3 == 0:
            run_env["MODIMG_QUEUE_CHAOS_COMMIT_KILL"] = "0.02"
        p = subprocess.Popen([Q, *worker_args], env=run_env, stdout=log, stderr=log)
        try:
            p.wait(timeout=rng.uniform(0.05, 0.6))
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            kills += 1
            total = json.loads(queue("status", "--json").stdout)["total"]
            in_added += 1 if total["added"] > 0 else 0
            continue
        if p.returncode == -signal.SIGKILL:
            commit_kills += 1
        elif p.returncode == 0:
            break  # finished before enough kills; the summary says how many there were
        else:
            sys.exit(f"chaos: a worker exited with {p.returncode}; see {work}/workers.log")

    final = subprocess.run([Q, *worker_args], env=env, stdout=log, stderr=log, timeout=900)
    status = json.loads(queue("status", "--json").stdout)["total"]
    state = sim_state()
    galleries = state["galleries"]
    duplicates = sum(n - 1 for per_mod in state["uploadsPerImage"].values() for n in per_mod.values() if n > 1)
    lost = sum(1 for mod, ids in expected.items() for i in ids if i not in galleries.get(mod, []))
    wrong_order = [mod for mod, ids in expected.items() if galleries.get(mod) != ids]
    history_mismatch = []
    for mod, ids in expected.items():
        history = json.loads(queue("history", mod, "--json").stdout)
        if sorted(h["id"] for h in history) != sorted(ids):
            history_mismatch.append(mod)
    injected = state.get("faults", {})
    ok = (final.returncode == 0 and status["done"] == jobs and duplicates == 0 and lost == 0
          and not wrong_order and not history_mismatch)
    print(f"chaos: {'ok' if ok else 'FAILED'} seed={args.seed} kills={kills + commit_kills} "
          f"(outside={kills}, in-commit={commit_kills}, with-upload-pending={in_added}) "
          f"faults={sum(injected.values())} ({', '.join(f'{k}={v}' for k, v in sorted(injected.items()))}) "
          f"jobs={jobs} done={status['done']} failed={status['failed']} duplicates={duplicates} lost={lost} "
          f"wrong-order={len(wrong_order)} history-mismatch={len(history_mismatch)} "
          f"requests={sum(state['requests'].values())} time={time.time() - started:.0f}s")
    if not ok:
        print(f"chaos: evidence kept in {work}", file=sys.stderr)
        args.keep = True
        sys.exit(1)
finally:
    sim.terminate()
    sim.wait()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)

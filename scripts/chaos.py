#!/usr/bin/env python3
"""`make chaos`: queue a few hundred uploads and reorders, work them against modportal-sim
with faults on, and check the portal's state against what was asked. Uses only the built
binaries. Two modes, each with its own database, folder and simulator:

- kill (`--kill`): SIGKILLs the worker at random moments (and inside SQLite commits),
  against a hostile portal (a dripping body, HTML 404 listings, a Retry-After that is not
  delay-seconds, a listing that lags within the workers' --listing-lag, "already exists" for a
  repeated upload, upper-case ids, escapes in messages), and swaps the next upload's file for a
  symlink, a FIFO or other bytes of the same size while a worker runs: no stray image may land.
- stall (`--stall`): runs several workers on one database with a short lease and SIGSTOPs
  one for longer than its lease, then SIGCONTs it, while `enqueue` of the same folder,
  `cancel` of queued uploads and `retry --failed` run at the same time. Cancelled images
  must never reach the portal; every other job must end as asked.

- commands (`--commands`): random `upload`, `enqueue`, `reorder`, `remove`, `cancel`, `retry`
  and `prune` beside a worker that is killed and stopped, against a lagging listing; each
  gallery must end as a replay of the jobs that ended done says (see chaos_commands.py).

Without a mode flag all three run, kill first (`--short` runs all three, short). Each prints one
summary line; the script exits non-zero if either finds a loss, a duplicate upload, an
unfinished job or (stall) a cancelled image sent.
"""
import argparse, hashlib, json, os, random, re, shutil, signal, sqlite3, struct, subprocess, sys, tempfile
import threading, time, urllib.request, zlib

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=int(time.time()) % 100000)
parser.add_argument("--mods", type=int, default=30)
parser.add_argument("--images", type=int, default=12, help="images per mod")
parser.add_argument("--kills", type=int, default=60, help="kill mode: SIGKILLs from outside, at least")
parser.add_argument("--interventions", type=int, default=60,
                    help="stall mode: stops, enqueues, cancels and retries, at least")
parser.add_argument("--kill", action="store_true", help="run the kill mode only")
parser.add_argument("--stall", action="store_true", help="run the stall mode only")
parser.add_argument("--commands", action="store_true", help="run the commands mode only")
parser.add_argument("--commands-interventions", type=int, default=320,
                    help="commands mode: commands run beside the killed and stopped worker")
parser.add_argument("--bin", default=os.environ.get("BIN", ".build/debug"))
parser.add_argument("--short", action="store_true", help="a quick run for make test")
parser.add_argument("--keep", action="store_true", help="keep the work folder")
args = parser.parse_args()
if args.short:
    args.mods, args.images, args.kills, args.interventions = 6, 5, 12, 15

BIN = os.path.abspath(args.bin)
Q = f"{BIN}/modimg-queue"


def png(seed, big):
    """A real PNG; `big` ones are ~256 KiB so kills land inside upload bodies."""
    r = random.Random(seed)
    w, h = (256, 256) if big else (16, 16)
    rows = b"".join(b"\x00" + bytes(r.getrandbits(8) for _ in range(w * 4)) for _ in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def make_tree(tree, seed):
    """`tree/<mod>/NNN.png`; returns mod -> SHA1s in gallery order, and SHA1 -> path."""
    expected, paths = {}, {}
    for m in range(args.mods):
        mod = f"chaos-mod-{m:02d}"
        os.makedirs(os.path.join(tree, mod))
        for i in range(args.images):
            data = png(seed * 100000 + m * 1000 + i, big=(i % 4 == 0))
            path = os.path.join(tree, mod, f"{i:03d}.png")
            with open(path, "wb") as f:
                f.write(data)
            sha1 = hashlib.sha1(data).hexdigest()
            expected.setdefault(mod, []).append(sha1)
            paths[sha1] = path
    return expected, paths


def start_sim(work, faults, options):
    cmd = [f"{BIN}/modportal-sim", "--port", "0", "--api-key", "chaos-key", "--seed", str(args.seed), *options]
    for fault in faults:
        cmd += ["--fault", fault]
    sim = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "sim.log"), "w"), text=True)
    base = sim.stdout.readline().strip()
    if not base.startswith("http"):
        sim.kill()
        sim.wait()
        sys.exit(f"chaos: modportal-sim did not start: {base!r}")
    return sim, base


def swap_file(rng, db, work):
    """Replaces the image of the next upload job not done, between a worker's start and its end,
    by what must never be sent: a symlink to a same-size file that is not it, a FIFO, or other
    bytes of the same size. Returns the kind and a function that puts the original back, or
    None when every upload is done."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    row = con.execute("SELECT file_path FROM jobs WHERE kind = 'upload' AND state IN ('queued', 'added') "
                      "ORDER BY id LIMIT 1").fetchone()
    con.close()
    if row is None:
        return None
    path = row[0]
    aside = os.path.join(work, "aside")
    os.makedirs(aside, exist_ok=True)
    original = os.path.join(aside, "original.png")
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[len(data) // 2] ^= 0xFF  # the same size, another SHA1: a stray image if it were sent
    os.rename(path, original)
    kind = rng.choice(["symlink", "fifo", "content"])
    if kind == "symlink":
        target = os.path.join(aside, "private.png")
        with open(target, "wb") as f:
            f.write(data)
        os.chmod(target, 0o600)
        os.symlink(target, path)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        with open(path, "wb") as f:
            f.write(data)

    def restore():
        os.remove(path)
        os.rename(original, path)
    return kind, restore


def only_swap_failures(db):
    """Whether every failed job failed for a swapped file, directly or through its dependency."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    other = con.execute("SELECT count(*) FROM jobs WHERE state = 'failed' AND last_error_code NOT IN "
                        "('FileChanged', 'FileUnreadable', 'DependencyFailed')").fetchone()[0]
    con.close()
    return other == 0


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def kill_mode():
    """SIGKILL the worker at random moments; returns whether the run was ok."""
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="modimg-chaos-")
    db = os.path.join(work, "queue.sqlite3")
    tree = os.path.join(work, "tree")
    expected, _ = make_tree(tree, args.seed)

    faults = ["reset=0.03", "internal-error=0.03", "html-error=0.03", "truncated=0.03", "slow=0.02",
              "burst-429=0.005", "lost-upload=0.06", "drip=0.01", "html-404=0.05"]
    # The hostile portal: a Retry-After that is not delay-seconds, a listing that lags (within the
    # workers' --listing-lag), "already exists" for a repeated upload, upper-case ids, escapes.
    retry_after = rng.choice(["inf", "1e300", "-5", "NaN", "soon"])
    sim, base = start_sim(work, faults, ["--latency", "25", "--slow-ms", "1500", "--burst-length", "3",
                                         "--upload-url-ttl", "4", f"--retry-after={retry_after}",
                                         "--listing-lag", "0.15", "--already-exists", "--upper-case-ids",
                                         "--escape-messages"])

    env = dict(os.environ, MOD_EDIT_API_KEY="chaos-key", MODIMG_PORTAL_URL=base, MODIMG_QUEUE_DB=db)
    worker_args = ["work", "--rate", "200/s", "--concurrency", "3", "--lease", "2", "--timeout", "1",
                   "--retry-base", "0.05", "--retry-max", "2", "--max-attempts", "200", "--listing-lag", "0.2", "--quiet"]
    log = open(os.path.join(work, "workers.log"), "w")

    def queue(*cmd):
        return subprocess.run([Q, *cmd], env=env, capture_output=True, text=True)

    started = time.time()
    keep = args.keep
    try:
        # A mod whose listing stays unreadable under the faults is not queued (enqueue exits 1 and
        # says to run it again): run it again, as it says; what was queued is not queued twice.
        for _ in range(10):
            enq = queue("enqueue", tree)
            if enq.returncode != 1 or "so nothing was queued for" not in enq.stderr:
                break
        if enq.returncode != 0:
            print(f"chaos: enqueue failed: {enq.stderr.strip()}", file=sys.stderr)
            keep = True
            return False
        jobs = sum(json.loads(queue("status", "--json").stdout)["total"].values())

        kills = commit_kills = in_added = 0
        swaps = {}
        runs = 0
        while kills < args.kills:
            runs += 1
            run_env = dict(env)
            if runs % 3 == 0:
                run_env["MODIMG_QUEUE_CHAOS_COMMIT_KILL"] = "0.02"
            swapped = swap_file(rng, db, work) if rng.random() < 0.3 else None
            p = subprocess.Popen([Q, *worker_args], env=run_env, stdout=log, stderr=log)
            killed = False
            try:
                p.wait(timeout=rng.uniform(0.05, 0.6))
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                p.wait()
                killed = True
            if swapped:
                swaps[swapped[0]] = swaps.get(swapped[0], 0) + 1
                swapped[1]()
            if killed:
                kills += 1
                total = json.loads(queue("status", "--json").stdout)["total"]
                in_added += 1 if total["added"] > 0 else 0
                continue
            if p.returncode == -signal.SIGKILL:
                commit_kills += 1
            elif p.returncode == 1 and swaps and only_swap_failures(db):
                # A swapped file failed its job (and its mod's reorder) in this run or an earlier
                # one that was killed: the file is back, so retry them.
                queue("retry", "--failed")
            elif p.returncode == 0:
                break  # finished before enough kills; the summary says how many there were
            else:
                print(f"chaos: a worker exited with {p.returncode}; see {work}/workers.log", file=sys.stderr)
                keep = True
                return False

        # Failures left by a swap in the last runs: the files are back.
        queue("retry", "--failed")

        final = subprocess.run([Q, *worker_args], env=env, stdout=log, stderr=log, timeout=900)
        status = json.loads(queue("status", "--json").stdout)["total"]
        state = get_json(base + "/__sim/state")
        galleries = state["galleries"]
        duplicates = sum(n - 1 for per_mod in state["uploadsPerImage"].values() for n in per_mod.values() if n > 1)
        known = {i for ids in expected.values() for i in ids}
        stray = sum(1 for per_mod in state["uploadsPerImage"].values() for i in per_mod if i not in known)
        lost = sum(1 for mod, ids in expected.items() for i in ids if i not in galleries.get(mod, []))
        wrong_order = [mod for mod, ids in expected.items() if galleries.get(mod) != ids]
        history_mismatch = []
        for mod, ids in expected.items():
            history = json.loads(queue("history", mod, "--json").stdout)
            if sorted(h["id"] for h in history) != sorted(ids):
                history_mismatch.append(mod)
        injected = state.get("faults", {})
        tricks = state.get("tricks", {})
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        refused = con.execute("SELECT count(*) FROM job_events WHERE to_state = 'failed' AND "
                              "(reason LIKE 'FileChanged%' OR reason LIKE 'FileUnreadable%')").fetchone()[0]
        con.close()
        # With --already-exists the simulator refuses a repeated upload instead of storing it: each
        # refusal is a duplicate the worker tried to send.
        duplicates += tricks.get("already-exists", 0)
        ok = (final.returncode == 0 and status["done"] == jobs and duplicates == 0 and stray == 0 and lost == 0
              and not wrong_order and not history_mismatch)
        print(f"chaos: {'ok' if ok else 'FAILED'} seed={args.seed} kills={kills + commit_kills} "
              f"(outside={kills}, in-commit={commit_kills}, with-upload-pending={in_added}) "
              f"faults={sum(injected.values())} ({', '.join(f'{k}={v}' for k, v in sorted(injected.items()))}) "
              f"tricks=({', '.join(f'{k}={v}' for k, v in sorted(tricks.items()))}, retry-after={retry_after!r}) "
              f"swaps={sum(swaps.values())} ({', '.join(f'{k}={v}' for k, v in sorted(swaps.items()))}; "
              f"jobs-refused-by-swaps={refused}) "
              f"jobs={jobs} done={status['done']} failed={status['failed']} duplicates={duplicates} stray={stray} lost={lost} "
              f"wrong-order={len(wrong_order)} history-mismatch={len(history_mismatch)} "
              f"requests={sum(state['requests'].values())} time={time.time() - started:.0f}s", flush=True)
        if not ok:
            keep = True
        return ok
    finally:
        sim.terminate()
        sim.wait()
        if keep:
            print(f"chaos: kill mode evidence kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def stall_mode():
    """Several workers on one database, SIGSTOPped past their lease while `enqueue`, `cancel`
    and `retry --failed` run beside them; returns whether the run was ok.

    Cancellations are taken from a third of the mods only. A cancelled upload's file is removed
    from the folder (inside the same lock that keeps `enqueue` out), as a user dropping the
    image would: the next `enqueue` of the folder then queues, for that mod, one new reorder of
    the remaining images, while the old reorder fails with "dependency failed" (superseded).
    So every gallery, cancel mods included, must end as its folder says at the end, and no
    cancelled image may ever reach the portal."""
    seed = args.seed
    short = args.short
    work = tempfile.mkdtemp(prefix="modimg-chaos-stall-")
    db = os.path.join(work, "queue.sqlite3")
    tree = os.path.join(work, "tree")
    os.makedirs(os.path.join(work, "workers"))
    expected, paths = make_tree(tree, seed)

    mods = sorted(expected)
    pick = random.Random(f"stall-{seed}-mods")
    cancel_mods = set(pick.sample(mods, min(len(mods), max(2, len(mods) // 3))))
    cancel_limit = max(2, args.images // 3)  # cancellations per cancel mod, at most

    lease = 1.5
    stop_range = (2.0, 3.0) if short else (2.0, 4.0)
    min_stops = 4 if short else 15
    n_workers = 3  # two stoppers: at least one worker runs at any time
    rate = "15/s" if short else "30/s"
    faults = ["reset=0.02", "internal-error=0.02", "html-error=0.02", "truncated=0.02", "slow=0.08",
              "lost-upload=0.03"]
    sim, base = start_sim(work, faults, ["--latency", "40", "--slow-ms", "1500", "--upload-url-ttl", "6"])

    env = dict(os.environ, MOD_EDIT_API_KEY="chaos-key", MODIMG_PORTAL_URL=base, MODIMG_QUEUE_DB=db)
    worker_args = ["work", "--rate", rate, "--concurrency", "4", "--lease", str(lease), "--timeout", "1",
                   "--retry-base", "0.05", "--retry-max", "2", "--max-attempts", "200", "--listing-lag", "0.2"]
    journal_lock = threading.Lock()
    journal_file = open(os.path.join(work, "interventions.log"), "w")
    t0 = time.time()

    def journal(line):
        with journal_lock:
            journal_file.write(f"{time.time() - t0:8.3f} {line}\n")
            journal_file.flush()

    def queue(*cmd, timeout=120):
        try:
            return subprocess.run([Q, *cmd], env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            problems.append(f"`modimg-queue {' '.join(cmd)}` hung for {timeout}s")
            journal(f"HUNG modimg-queue {' '.join(cmd)}")
            return subprocess.CompletedProcess(cmd, -1, "", "")

    def db_rows(sql, params=()):
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql, params)]
        finally:
            con.close()

    counts = {"stop": 0, "enqueue": 0, "cancel": 0, "retry": 0}
    counts_lock = threading.Lock()
    problems = []            # anything the CLI or a worker did that it should not have
    cancelled = {}           # job id -> (mod, sha1)
    sent_before_cancel = {}  # sha1 -> uploads stored when the cancel that cancelled it returned
    held_refusals = [0]
    retried = [0]
    enqueue_new_uploads = [0]
    enqueue_new_reorders = {}  # mod -> reorders queued by enqueues after the first
    tree_lock = threading.Lock()   # a cancel and the removal of its files vs. enqueue's reading of the folder
    workers_lock = threading.Lock()
    workers = {}     # slot -> Popen
    stopped = {}     # pid -> when it was stopped
    phase_over = threading.Event()

    def count(kind):
        with counts_lock:
            counts[kind] += 1

    def interventions():
        with counts_lock:
            return sum(counts.values())

    def spawn(slot, run):
        out = open(os.path.join(work, "workers", f"{run:03d}-slot{slot}.log"), "w")
        p = subprocess.Popen([Q, *worker_args], env=env, stdout=out, stderr=out)
        out.close()
        workers[slot] = p
        journal(f"start worker slot={slot} pid={p.pid} log=workers/{run:03d}-slot{slot}.log")

    def stopper(name):
        r = random.Random(f"stall-{seed}-{name}")
        while not phase_over.is_set():
            with workers_lock:
                live = [p for p in workers.values() if p.poll() is None and p.pid not in stopped]
                p = r.choice(live) if live else None
                if p is not None:
                    os.kill(p.pid, signal.SIGSTOP)
                    stopped[p.pid] = time.time()
            if p is None:
                time.sleep(0.05)
                continue
            pause = r.uniform(*stop_range)
            journal(f"SIGSTOP pid={p.pid} for {pause:.2f}s")
            time.sleep(pause)
            with workers_lock:
                os.kill(p.pid, signal.SIGCONT)
                stopped.pop(p.pid, None)
            journal(f"SIGCONT pid={p.pid}")
            count("stop")
            time.sleep(r.uniform(0.1, 0.8))

    def parse_enqueue(out):
        if "nothing new to queue" in out:
            return 0, 0
        m = re.search(r"^queued (\d+) upload jobs? and (\d+) reorder jobs?", out, re.M)
        return (int(m.group(1)), int(m.group(2))) if m else None

    def enqueuer():
        r = random.Random(f"stall-{seed}-enqueue")
        while not phase_over.is_set():
            time.sleep(r.uniform(0.3, 1.0))
            if phase_over.is_set():
                break
            together = 2 if r.random() < 0.3 else 1  # sometimes two at the same moment
            with tree_lock:
                before = {row["id"] for row in db_rows("SELECT id FROM jobs")}
                procs = [subprocess.Popen([Q, "enqueue", tree, "--offline"], env=env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True) for _ in range(together)]
                results = []
                for p in procs:
                    try:
                        out, err = p.communicate(timeout=120)
                    except subprocess.TimeoutExpired:
                        p.kill()
                        out, err = p.communicate()
                        problems.append("`enqueue --offline` hung for 120s")
                    results.append((p.returncode, out, err))
                new = db_rows("SELECT id, kind, mod FROM jobs WHERE id NOT IN (%s)" % ",".join(map(str, before))
                              if before else "SELECT id, kind, mod FROM jobs")
            for rc, out, err in results:
                count("enqueue")
                parsed = parse_enqueue(out)
                journal(f"enqueue rc={rc} -> {parsed} {err.strip()!r}")
                if rc != 0 or err.strip() or parsed is None:
                    problems.append(f"enqueue exited {rc}: {err.strip() or out.strip()[-200:]}")
            for job in new:
                if job["kind"] == "upload":
                    enqueue_new_uploads[0] += 1
                    problems.append(f"a repeated enqueue queued upload job {job['id']} of {job['mod']}")
                else:
                    enqueue_new_reorders[job["mod"]] = enqueue_new_reorders.get(job["mod"], 0) + 1
                    journal(f"enqueue queued reorder job {job['id']} of {job['mod']}")

    def cancel_once(r):
        with counts_lock:
            per_mod = {}
            for mod, _ in cancelled.values():
                per_mod[mod] = per_mod.get(mod, 0) + 1
        open_uploads = db_rows(
            "SELECT id, mod, file_sha1, state, claim_token, claim_pid, lease_expires_at FROM jobs "
            "WHERE kind = 'upload' AND state IN ('queued', 'added') ORDER BY id")
        candidates = [j for j in open_uploads if j["mod"] in cancel_mods and per_mod.get(j["mod"], 0) < cancel_limit]
        if not candidates:
            return False
        with workers_lock:
            stalled = dict(stopped)
        now = time.time()
        chosen = r.sample(candidates, min(len(candidates), r.randint(1, 2)))
        # Mostly ask for a job a stopped worker holds, best once its lease has run out; else any claimed job.
        expired = [j for j in candidates if j["claim_token"] and j["claim_pid"] in stalled
                   and now - stalled[j["claim_pid"]] > lease + 0.2]
        held = expired or [j for j in candidates if j["claim_token"]]
        if held and r.random() < 0.8:
            chosen.insert(0, r.choice(held))
        ids, taken = [], {}
        for j in chosen:
            if j["id"] in ids or per_mod.get(j["mod"], 0) + taken.get(j["mod"], 0) >= cancel_limit:
                continue
            ids.append(j["id"])
            taken[j["mod"]] = taken.get(j["mod"], 0) + 1
        if not ids:
            return False
        info = {j["id"]: j for j in open_uploads}
        with tree_lock:
            res = queue("cancel", *map(str, ids))
            m = re.search(r"^cancelled: jobs? ([\d, ]+)\.$", res.stdout, re.M)
            done_ids = [int(x) for x in m.group(1).split(",")] if m else []
            for i in done_ids:
                if i in info and os.path.exists(paths[info[i]["file_sha1"]]):
                    os.remove(paths[info[i]["file_sha1"]])
        uploads = get_json(base + "/__sim/state")["uploadsPerImage"]
        count("cancel")
        held_lines = re.findall(r"^modimg-queue: job (\d+) was not cancelled: a worker", res.stderr, re.M)
        left = [int(x) for x in re.findall(r"^job (\d+) left as it is: ", res.stdout, re.M)]
        held_refusals[0] += len(held_lines)
        journal(f"cancel {ids} (states {[info[i]['state'] + ('/claimed pid %s' % info[i]['claim_pid'] if info[i]['claim_token'] else '') for i in ids]}) "
                f"rc={res.returncode} cancelled={done_ids} held={held_lines} left={left} stderr={res.stderr.strip()!r}")
        accounted = sorted(done_ids + left + [int(x) for x in held_lines])
        if sorted(ids) != accounted or res.returncode != (1 if held_lines else 0) or (
                res.stderr.strip() and len(res.stderr.strip().splitlines()) != len(held_lines)):
            problems.append(f"cancel {ids}: exit {res.returncode}, stdout {res.stdout.strip()!r}, "
                            f"stderr {res.stderr.strip()!r}")
        with counts_lock:
            for i in done_ids:
                j = info.get(i)
                if j is None:
                    problems.append(f"cancel reported job {i}, which was not asked for")
                    continue
                cancelled[i] = (j["mod"], j["file_sha1"])
                sent_before_cancel[j["file_sha1"]] = uploads.get(j["mod"], {}).get(j["file_sha1"], 0)
        return True

    def retry_once():
        res = queue("retry", "--failed")
        count("retry")
        m = re.search(r"^queued again: jobs? ([\d, ]+)\.$", res.stdout, re.M)
        again = [int(x) for x in m.group(1).split(",")] if m else []
        retried[0] += len(again)
        journal(f"retry --failed rc={res.returncode} again={again} stderr={res.stderr.strip()!r}")
        held_lines = re.findall(r"^modimg-queue: job (\d+) was not queued again: a worker", res.stderr, re.M)
        if res.returncode != (1 if held_lines else 0) or (
                res.stderr.strip() and len(res.stderr.strip().splitlines()) != len(held_lines)):
            problems.append(f"retry --failed: exit {res.returncode}, stderr {res.stderr.strip()!r}")

    def operator():
        r = random.Random(f"stall-{seed}-operator")
        while not phase_over.is_set():
            time.sleep(r.uniform(0.2, 0.6))
            if phase_over.is_set():
                break
            if r.random() < 0.55 and cancel_once(r):
                continue
            retry_once()

    def guarded(name, fn):
        def run():
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - any crash of a driver thread fails the run
                problems.append(f"the {name} thread crashed: {e!r}")
                journal(f"CRASH {name}: {e!r}")
        return run

    started = time.time()
    keep = args.keep
    threads = []
    try:
        enq = queue("enqueue", tree, "--offline")
        if enq.returncode != 0:
            print(f"chaos: enqueue failed: {enq.stderr.strip()}", file=sys.stderr)
            keep = True
            return False
        jobs = len(db_rows("SELECT id FROM jobs"))

        run = 0
        exited_at = {}
        with workers_lock:
            for slot in range(n_workers):
                run += 1
                spawn(slot, run)
        drivers = [("stopper-a", lambda: stopper("a")), ("stopper-b", lambda: stopper("b")),
                   ("enqueuer", enqueuer), ("operator", operator)]
        threads = [threading.Thread(target=guarded(name, f), daemon=True) for name, f in drivers]
        for t in threads:
            t.start()
        phase_limit = 120 if short else 600
        while True:
            with workers_lock:
                for slot, p in list(workers.items()):
                    rc = p.poll()
                    if rc is None:
                        continue
                    if slot not in exited_at:
                        exited_at[slot] = time.time()
                        journal(f"worker pid={p.pid} exited {rc}")
                        if rc not in (0, 1):
                            problems.append(f"worker pid {p.pid} exited {rc}")
                    if time.time() - exited_at[slot] > 0.3:  # keep the workers coming back, not in a storm
                        del exited_at[slot]
                        run += 1
                        spawn(slot, run)
            with counts_lock:
                enough = sum(counts.values()) >= args.interventions and counts["stop"] >= min_stops
            if enough:
                break
            if time.time() - started > phase_limit:
                problems.append(f"interventions still short of the target after {phase_limit}s")
                break
            time.sleep(0.05)
        open_left = db_rows("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'added')")[0]["n"]
        phase_over.set()
        for t in threads:
            t.join(timeout=60)
            if t.is_alive():
                problems.append("a driver thread did not stop")
        journal(f"interventions over: {counts}; {open_left} jobs open")

        # Let the workers finish on their own.
        for p in list(workers.values()):
            try:
                rc = p.wait(timeout=300)
            except subprocess.TimeoutExpired:
                problems.append(f"worker pid {p.pid} did not finish within 300s after the interventions")
                journal(f"HUNG worker pid={p.pid}")
                p.kill()
                rc = p.wait()
            journal(f"worker pid={p.pid} ended {rc}")
            if rc not in (0, 1):
                problems.append(f"worker pid {p.pid} exited {rc}")

        # The folder as it is now (cancelled images removed), queued once more, and worked out.
        with tree_lock:
            before = {row["id"] for row in db_rows("SELECT id FROM jobs")}
            enq = queue("enqueue", tree, "--offline")
            journal(f"final enqueue rc={enq.returncode} -> {parse_enqueue(enq.stdout)}")
            if enq.returncode != 0:
                problems.append(f"final enqueue exited {enq.returncode}: {enq.stderr.strip()}")
            for job in db_rows("SELECT id, kind, mod FROM jobs"):
                if job["id"] in before:
                    continue
                if job["kind"] == "upload":
                    enqueue_new_uploads[0] += 1
                    problems.append(f"the final enqueue queued upload job {job['id']} of {job['mod']}")
                else:
                    enqueue_new_reorders[job["mod"]] = enqueue_new_reorders.get(job["mod"], 0) + 1
        with open(os.path.join(work, "workers", "final.log"), "w") as out:
            try:
                final_rc = subprocess.run([Q, *worker_args], env=env, stdout=out, stderr=out, timeout=600).returncode
            except subprocess.TimeoutExpired:
                problems.append("the final `work` did not finish within 600s")
                final_rc = None
        journal(f"final work rc={final_rc}")
        if final_rc not in (0, 1, None):
            problems.append(f"the final `work` exited {final_rc}")

        # Verify.
        st = queue("status", "--json")
        try:
            status = json.loads(st.stdout)["total"]
        except ValueError:
            problems.append(f"`status --json` exited {st.returncode} without JSON: {st.stderr.strip()!r}")
            status = {"done": "?"}
        state = get_json(base + "/__sim/state")
        galleries, uploads = state["galleries"], state["uploadsPerImage"]
        rows = db_rows("SELECT id, kind, mod, state, file_sha1, image_ids, last_error_code FROM jobs ORDER BY id")
        by_id = {j["id"]: j for j in rows}
        deps = {}
        for d in db_rows("SELECT job_id, depends_on FROM job_dependencies"):
            deps.setdefault(d["job_id"], []).append(d["depends_on"])
        cancel_events = {e["job_id"]: e["from_state"] for e in db_rows(
            "SELECT job_id, from_state FROM job_events WHERE to_state = 'cancelled'")}

        cancelled_sha1 = {}
        for i, (mod, sha1) in cancelled.items():
            cancelled_sha1.setdefault(mod, set()).add(sha1)
        in_db = {j["id"] for j in rows if j["state"] == "cancelled"}
        cancel_undone = sorted(i for i in cancelled if by_id[i]["state"] != "cancelled")
        cancel_unreported = sorted(in_db - set(cancelled))
        cancelled_sent = sorted((m, s) for m, shas in cancelled_sha1.items() for s in shas
                                if uploads.get(m, {}).get(s, 0) > 0 or s in galleries.get(m, []))
        sent_before = [x for x in cancelled_sent if sent_before_cancel.get(x[1], 0) > 0]
        duplicates = sum(n - 1 for per_mod in uploads.values() for n in per_mod.values() if n > 1)
        dup_jobs = {}
        for j in rows:
            if j["kind"] == "upload" and j["state"] != "cancelled":
                dup_jobs[(j["mod"], j["file_sha1"])] = dup_jobs.get((j["mod"], j["file_sha1"]), 0) + 1
        duplicate_jobs = sum(n - 1 for n in dup_jobs.values() if n > 1)

        superseded = [j["id"] for j in rows if j["kind"] == "reorder" and j["state"] == "failed"
                      and j["last_error_code"] == "DependencyFailed"
                      and any(by_id[d]["state"] == "cancelled" for d in deps.get(j["id"], []))]
        not_done = [j["id"] for j in rows if j["state"] != "done" and j["id"] not in cancelled
                    and j["id"] not in superseded]
        final_gallery = {mod: [s for s in ids if s not in cancelled_sha1.get(mod, set())]
                         for mod, ids in expected.items()}
        missing = sum(1 for mod, ids in final_gallery.items() for s in ids if s not in galleries.get(mod, []))
        wrong_order = [mod for mod, ids in final_gallery.items() if galleries.get(mod) != ids]
        history_mismatch = []
        for mod, ids in final_gallery.items():
            h = queue("history", mod, "--json")
            try:
                history = json.loads(h.stdout)
            except ValueError:
                problems.append(f"`history {mod} --json` exited {h.returncode} without JSON: {h.stderr.strip()!r}")
                history = []
            if sorted(e["id"] for e in history) != sorted(ids):
                history_mismatch.append(mod)
        extra_reorders = [mod for mod in mods if sum(
            1 for j in rows if j["kind"] == "reorder" and j["mod"] == mod and j["id"] not in superseded) != 1]
        stray_reorders = sorted(m for m in enqueue_new_reorders if m not in cancel_mods)
        lost = len(not_done) + missing

        injected = state.get("faults", {})
        ok = (not problems and duplicates == 0 and duplicate_jobs == 0 and not cancelled_sent and lost == 0
              and not wrong_order and not history_mismatch and not cancel_undone and not cancel_unreported
              and enqueue_new_uploads[0] == 0 and not extra_reorders and not stray_reorders
              and interventions() >= args.interventions)
        print(f"chaos: {'ok' if ok else 'FAILED'} mode=stall seed={seed} interventions={interventions()} "
              f"(stop={counts['stop']}, enqueue={counts['enqueue']}, cancel={counts['cancel']}, "
              f"retry={counts['retry']}) workers={n_workers} lease={lease}s open-after-interventions={open_left} "
              f"faults={sum(injected.values())} jobs={len(rows)} (first={jobs}, reorders-requeued="
              f"{sum(enqueue_new_reorders.values())}) done={status['done']} cancelled={len(cancelled)} "
              f"(from-added={sum(1 for i in cancelled if cancel_events.get(i) == 'added')}, "
              f"held-refused={held_refusals[0]}) superseded={len(superseded)} retried={retried[0]} "
              f"duplicates={duplicates} duplicate-jobs={duplicate_jobs} cancelled-sent={len(cancelled_sent)} "
              f"(before-cancel={len(sent_before)}) cancel-undone={len(cancel_undone)} lost={lost} "
              f"wrong-order={len(wrong_order)} history-mismatch={len(history_mismatch)} problems={len(problems)} "
              f"requests={sum(state['requests'].values())} time={time.time() - started:.0f}s", flush=True)
        if not ok:
            keep = True
            for p in problems[:20]:
                print(f"chaos: stall: {p}", file=sys.stderr)
            for label, items in (("cancelled job uploaded", [
                    f"job {i} ({m} {s}, cancelled from {cancel_events.get(i)}; uploads stored {uploads.get(m, {}).get(s, 0)}, "
                    f"{sent_before_cancel.get(s, 0)} of them when the cancel returned)"
                    for i, (m, s) in sorted(cancelled.items()) if (m, s) in cancelled_sent]),
                    ("cancelled job changed afterwards", [f"job {i} is {by_id[i]['state']}" for i in cancel_undone]),
                    ("cancelled but not reported", [f"job {i}" for i in cancel_unreported]),
                    ("not done", [f"job {i} ({by_id[i]['kind']} {by_id[i]['mod']}) is {by_id[i]['state']} "
                                  f"{by_id[i]['last_error_code'] or ''}" for i in not_done]),
                    ("gallery not as intended", wrong_order), ("history mismatch", history_mismatch),
                    ("not exactly one live reorder", extra_reorders), ("reorder queued for an unchanged mod", stray_reorders),
                    ("uploaded twice", [f"{m} {s} x{n}" for m, per in uploads.items() for s, n in per.items() if n > 1])):
                if items:
                    print(f"chaos: stall: {label}: {'; '.join(items[:10])}", file=sys.stderr)
        return ok
    except BaseException:
        keep = True
        raise
    finally:
        phase_over.set()
        with workers_lock:
            for p in workers.values():
                if p.poll() is None:
                    try:
                        os.kill(p.pid, signal.SIGCONT)
                        p.kill()
                    except ProcessLookupError:
                        pass
                    p.wait()
        for t in threads:
            t.join(timeout=10)
        sim.terminate()
        sim.wait()
        journal_file.close()
        if keep:
            print(f"chaos: stall mode evidence kept in {work} (interventions.log, workers/, queue.sqlite3)",
                  file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def commands_mode():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import chaos_commands
    return chaos_commands.run(dict(args=args, Q=Q, BIN=BIN, png=png, start_sim=start_sim, get_json=get_json))


run_mode = {"kill": kill_mode, "stall": stall_mode, "commands": commands_mode}
modes = [m for m, on in (("kill", args.kill), ("stall", args.stall), ("commands", args.commands)) if on] \
    or ["kill", "stall", "commands"]
results = [run_mode[m]() for m in modes]
sys.exit(0 if all(results) else 1)

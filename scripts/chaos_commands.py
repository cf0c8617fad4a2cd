"""The commands mode of `make chaos` (`--commands`): gallery truth at the level of commands.

Random `upload`, `enqueue` (folders, and manifests with prune on and off), `reorder`, `remove`,
`cancel`, `retry --failed` and `prune` run while a worker is SIGKILLed and SIGSTOPped past its
lease, against a simulator whose listing lags and that injects faults. At the end, with every job
finished, each mod's gallery on the portal must equal an oracle that replays, in the order they
finished, the jobs that ended done (an upload appends its image if it is not there; a reorder
sets its images, then — if it keeps unlisted images — the rest of the gallery as it was, less
what it excludes); each image must be stored at most as often as an upload job of it ended done;
no cancelled job's image may be sent for it; and `verify` must find every gallery in sync.
"""
import json, os, random, shutil, signal, sqlite3, subprocess, tempfile, time


def run(ctx):
    """`ctx`: args, Q, BIN, png, start_sim, get_json from chaos.py. Returns whether the run was ok."""
    args, Q = ctx["args"], ctx["Q"]
    seed = args.seed
    rng = random.Random(f"commands-{seed}")
    short = args.short
    n_mods = 3 if short else 6
    per_mod = 5 if short else 8
    interventions = 40 if short else args.commands_interventions
    work = tempfile.mkdtemp(prefix="modimg-chaos-commands-")
    db = os.path.join(work, "queue.sqlite3")
    pool = os.path.join(work, "pool")
    images = {}  # mod -> [path]
    sha_of = {}
    import hashlib
    for m in range(n_mods):
        mod = f"cmd-mod-{m}"
        os.makedirs(os.path.join(pool, mod))
        for i in range(per_mod):
            data = ctx["png"](seed * 7919 + m * 100 + i, big=(i % 3 == 0))
            path = os.path.join(pool, mod, f"{i:02d}.png")
            with open(path, "wb") as f:
                f.write(data)
            images.setdefault(mod, []).append(path)
            sha_of[path] = hashlib.sha1(data).hexdigest()
    mods = sorted(images)

    faults = ["reset=0.03", "internal-error=0.03", "truncated=0.02", "lost-upload=0.06", "html-404=0.03"]
    sim, base = ctx["start_sim"](work, faults, ["--latency", "15", "--listing-lag", "0.15", "--upload-url-ttl", "5"])
    env = dict(os.environ, MOD_EDIT_API_KEY="chaos-key", MODIMG_PORTAL_URL=base, MODIMG_QUEUE_DB=db)
    lease = 1.5
    worker_args = ["work", "--rate", "100/s", "--concurrency", "3", "--lease", str(lease), "--timeout", "1",
                   "--retry-base", "0.05", "--retry-max", "1", "--max-attempts", "200", "--listing-lag", "0.2", "--quiet"]
    journal = open(os.path.join(work, "interventions.log"), "w")
    wlog = open(os.path.join(work, "workers.log"), "w")
    t0 = time.time()
    problems = []
    counts = {}
    cancelled_jobs = {}  # job id -> (mod, sha1)

    def note(line):
        journal.write(f"{time.time() - t0:8.3f} {line}\n")
        journal.flush()

    def queue(*cmd, timeout=120):
        try:
            p = subprocess.run([Q, *cmd], env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            problems.append(f"`modimg-queue {' '.join(cmd)}` hung")
            return subprocess.CompletedProcess(cmd, -1, "", "")
        note(f"{' '.join(cmd[:3])}… rc={p.returncode} {p.stdout.strip()[-160:]!r} {p.stderr.strip()[-160:]!r}")
        if p.returncode not in (0, 1, 2) or "Fatal error" in p.stderr:
            problems.append(f"`modimg-queue {' '.join(cmd)}` exited {p.returncode}: {p.stderr.strip()[-200:]}")
        return p

    def rows(sql, params=()):
        if not os.path.exists(db):
            return []
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql, params)]
        except sqlite3.OperationalError:
            return []
        finally:
            con.close()

    def subset(mod, at_least=1):
        chosen = rng.sample(images[mod], rng.randint(at_least, min(4, per_mod)))
        return chosen

    def folder_enqueue(mod, files):
        tree = tempfile.mkdtemp(dir=work, prefix="tree-")
        os.makedirs(os.path.join(tree, mod))
        for n, path in enumerate(files):
            shutil.copyfile(path, os.path.join(tree, mod, f"{n:02d}-{os.path.basename(path)}"))
        return queue("enqueue", tree, "--offline" if rng.random() < 0.3 else "--timeout=5")

    def manifest_enqueue(mod, files, prune):
        path = os.path.join(work, f"manifest-{rng.getrandbits(32):08x}.json")
        with open(path, "w") as f:
            json.dump({"mods": [{"name": mod, "prune": prune, "images": files}]}, f)
        return queue("enqueue", path, "--timeout=5")

    def cancel_some():
        open_jobs = rows("SELECT id, mod, kind, file_sha1 FROM jobs WHERE state IN ('queued', 'added') ORDER BY id")
        if not open_jobs:
            return None
        if rng.random() < 0.2:
            mod = rng.choice(mods)
            p = queue("cancel", "--mod", mod)
        else:
            p = queue("cancel", str(rng.choice(open_jobs)["id"]))
        for line in p.stdout.splitlines():
            if line.startswith("cancelled: job"):
                for token in line.split(":", 1)[1].replace("jobs", "").replace("job", "").replace(".", "").split(","):
                    token = token.strip()
                    if token.isdigit():
                        job = rows("SELECT mod, file_sha1 FROM jobs WHERE id = ?", (int(token),))
                        if job:
                            cancelled_jobs[int(token)] = (job[0]["mod"], job[0]["file_sha1"])
        return p

    # Done jobs as they were before any `prune` removed them: the oracle replays all of them.
    archive = {}
    done_columns = ("id, kind, mod, result_image_id, file_sha1, image_ids, keep_unlisted, exclude_ids, finished_at")

    def snapshot():
        for job in rows(f"SELECT {done_columns} FROM jobs WHERE state = 'done'"):
            archive[job["id"]] = job

    actions = ["upload", "upload", "folder", "manifest-keep", "manifest-prune", "reorder", "remove", "remove",
               "cancel", "retry", "prune"]
    worker = None
    stopped_until = None
    started = time.time()
    keep = args.keep
    ok = False
    try:
        for step in range(interventions):
            # The worker: one at a time, started, killed and stopped at random beside the commands.
            if worker is not None and stopped_until is not None and time.time() >= stopped_until:
                os.kill(worker.pid, signal.SIGCONT)
                note(f"SIGCONT {worker.pid}")
                stopped_until = None
            if worker is None or worker.poll() is not None:
                worker = subprocess.Popen([Q, *worker_args], env=env, stdout=wlog, stderr=wlog)
                note(f"start worker {worker.pid}")
            elif stopped_until is None:
                r = rng.random()
                if r < 0.25:
                    worker.send_signal(signal.SIGKILL)
                    worker.wait()
                    counts["kill"] = counts.get("kill", 0) + 1
                    note(f"SIGKILL {worker.pid}")
                elif r < 0.35:
                    os.kill(worker.pid, signal.SIGSTOP)
                    stopped_until = time.time() + lease + rng.uniform(0.2, 1.0)
                    counts["stop"] = counts.get("stop", 0) + 1
                    note(f"SIGSTOP {worker.pid}")
            action = rng.choice(actions)
            counts[action] = counts.get(action, 0) + 1
            mod = rng.choice(mods)
            if action == "upload":
                queue("upload", mod, *subset(mod))
            elif action == "folder":
                folder_enqueue(mod, subset(mod))
            elif action == "manifest-keep":
                manifest_enqueue(mod, subset(mod), False)
            elif action == "manifest-prune":
                manifest_enqueue(mod, subset(mod, 2), True)
            elif action == "reorder":
                done = [r["result_image_id"] for r in rows(
                    "SELECT DISTINCT result_image_id FROM jobs WHERE mod = ? AND kind = 'upload' AND state = 'done'", (mod,))]
                if done:
                    queue("reorder", mod, *rng.sample(done, rng.randint(1, len(done))), "--prune")
            elif action == "remove":
                queue("remove", mod, rng.choice(images[mod]))
            elif action == "cancel":
                cancel_some()
            elif action == "retry":
                queue("retry", "--failed")
            elif action == "prune":
                # Jobs that finish between the snapshot and the prune are younger than 3 s.
                snapshot()
                queue("prune", "--state", rng.choice(["cancelled", "failed", "done"]), "--older-than", "3s")
            time.sleep(rng.uniform(0.02, 0.3))

        if stopped_until is not None:
            os.kill(worker.pid, signal.SIGCONT)
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        final = subprocess.run([Q, *worker_args], env=env, stdout=wlog, stderr=wlog, timeout=900)
        left = rows("SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'added')")[0]["n"]

        # The oracle: each mod's done jobs replayed in the order they finished.
        expected = {mod: [] for mod in mods}
        done_uploads = {}
        snapshot()
        for job in sorted(archive.values(), key=lambda j: (j["finished_at"], j["id"])):
            gallery = expected[job["mod"]]
            if job["kind"] == "upload":
                image = (job["result_image_id"] or job["file_sha1"]).lower()
                key = (job["mod"], image)
                done_uploads[key] = done_uploads.get(key, 0) + 1
                if image not in gallery:
                    gallery.append(image)
            else:
                listed = [i.lower() for i in job["image_ids"].split(",") if i]
                excluded = {i.lower() for i in (job["exclude_ids"] or "").split(",") if i}
                new = listed + ([i for i in gallery if i not in listed] if job["keep_unlisted"] else [])
                expected[job["mod"]] = [i for i in new if i not in excluded]
        state = ctx["get_json"](base + "/__sim/state")
        galleries = {mod: [i.lower() for i in state["galleries"].get(mod, [])] for mod in mods}
        wrong = [mod for mod in mods if galleries[mod] != expected[mod]]
        stored = {(mod, i.lower()): n for mod, per in state["uploadsPerImage"].items() for i, n in per.items()}
        duplicates = sum(max(0, n - done_uploads.get(key, 0)) for key, n in stored.items())
        cancelled_sent = sum(1 for job, (mod, sha) in cancelled_jobs.items()
                             if stored.get((mod, (sha or "").lower()), 0) > done_uploads.get((mod, (sha or "").lower()), 0))
        # Exit 2 is "could not tell" (a listing that kept failing under the faults): asked again,
        # as a user would; only exit 1 says a gallery drifted.
        for _ in range(5):
            verify = subprocess.run([Q, "verify", "--rate", "50/s"], env=env, capture_output=True, text=True, timeout=300)
            note(f"verify rc={verify.returncode} {verify.stdout.strip()[-400:]!r} {verify.stderr.strip()[-200:]!r}")
            if verify.returncode != 2:
                break
        statuses = {r["state"]: r["n"] for r in rows("SELECT state, count(*) AS n FROM jobs GROUP BY state")}
        injected = state.get("faults", {})
        ok = (final.returncode in (0, 1) and left == 0 and not wrong and duplicates == 0 and cancelled_sent == 0
              and verify.returncode == 0 and not problems)
        print(f"chaos: {'ok' if ok else 'FAILED'} mode=commands seed={seed} "
              f"interventions={interventions} ({', '.join(f'{k}={v}' for k, v in sorted(counts.items()))}) "
              f"faults={sum(injected.values())} listing-lag={state.get('tricks', {}).get('listing-lag', 0)} "
              f"jobs={sum(statuses.values())} ({', '.join(f'{k}={v}' for k, v in sorted(statuses.items()))}) "
              f"galleries-wrong={len(wrong)} duplicates={duplicates} cancelled-sent={cancelled_sent} "
              f"verify={'in-sync' if verify.returncode == 0 else f'exit {verify.returncode}'} open-left={left} "
              f"problems={len(problems)} time={time.time() - started:.0f}s", flush=True)
        for mod in wrong:
            print(f"chaos:   {mod}: portal {galleries[mod]} expected {expected[mod]}")
        for problem in problems[:5]:
            print(f"chaos:   {problem}")
        if not ok:
            keep = True
        return ok
    finally:
        if worker is not None and worker.poll() is None:
            try:
                os.kill(worker.pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
            worker.kill()
            worker.wait()
        sim.terminate()
        sim.wait()
        journal.close()
        if keep:
            print(f"chaos: commands mode evidence kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

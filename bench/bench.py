#!/usr/bin/env python3
"""orgbatch's benchmark (`make bench`): the same rollout run by orgbatch, by a boto3 script of
the kind users write (standard and adaptive retries) and, on a sample, by the aws CLI, against
tools/faultyaws on this machine. Prints markdown tables and writes them to bench/results.md.

    python3 bench/bench.py [--repeat 3] [--scenarios S1,S2,S3,S4] [--quick] [--no-boto3] [--no-callgrind]

Scenarios (PutAlternateContact x 3 contact types on every member account):
    S1  10 orgs x 100 accounts = 3,000 calls, 50 ms latency, concurrency 32
    S2  as S1, the server throttling at 10 requests/s (burst 10) per org
    S3  as S1, with 2 % HTTP 500 and 1 % dropped connections
    S4  100 orgs x 100 accounts = 30,000 calls, 50 ms latency, concurrency 64

Besides wall time, CPU and memory: context switches (GNU time), S1's CPU against libcurl
alone run by run (bench/curl_floor.c), S2 configured's against libcurl alone paced at the same
100 requests/s, and instructions per request and per run counted by
valgrind's callgrind, which, unlike CPU seconds on a shared host, repeat exactly. It ends with
the issue's targets, each with this run's figure and whether it was met.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FAULTY = os.path.join(ROOT, "tools", "faultyaws", "faultyaws.py")
TYPES = ("SECURITY", "BILLING", "OPERATIONS")

SCENARIOS = {
    "S1": {"orgs": 10, "accounts": 100, "concurrency": 32, "faults": {}},
    "S2": {"orgs": 10, "accounts": 100, "concurrency": 32, "faults": {"throttle": {"rate": 10, "burst": 10, "per": "org"}}},
    "S3": {"orgs": 10, "accounts": 100, "concurrency": 32,
           "faults": {"error500_rate": 0.02, "drop_before_rate": 0.005, "drop_after_rate": 0.005}},
    "S4": {"orgs": 100, "accounts": 100, "concurrency": 64, "faults": {}},
}
LATENCY = 0.05


class Server:
    """A fresh faultyaws for one run (a clean world every time)."""

    def __init__(self, orgs, accounts, faults, latency_ms=50, seed=1, many_connections=False):
        self.folder = tempfile.mkdtemp(prefix="orgbatch-bench-")
        config = dict(faults, orgs=orgs, accounts=accounts, latency_ms=latency_ms, seed=seed, trusted=True, out=self.folder)
        with open(os.path.join(self.folder, "faults.json"), "w") as f:
            json.dump(config, f)
        self.process = subprocess.Popen([sys.executable, FAULTY, "serve", "--config", os.path.join(self.folder, "faults.json")]
                                        + (["--many-connections"] if many_connections else []),
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.endpoint = json.loads(self.process.stdout.readline())["endpoint"]
        self.env = dict(os.environ, AWS_CONFIG_FILE=os.path.join(self.folder, "config"),
                        AWS_SHARED_CREDENTIALS_FILE=os.path.join(self.folder, "credentials"))
        self.world = os.path.join(self.folder, "world.json")

    def stats(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"faultyaws exited with status {self.process.returncode} during the run")
        out = subprocess.run(["curl", "-s", self.endpoint + "/_faulty/stats"], capture_output=True, text=True).stdout
        return json.loads(out)

    def job(self, orgs):
        lines = ["orgs:"] + [f"  - {{name: org{i}, profile: org{i}}}" for i in range(orgs)]
        lines += ["targets: {managementAccount: false}", "actions:"]
        lines += [f'  - alternateContact: {{type: {t}, name: "N {t}", title: T, email: x@example.com, phone: "+1 1"}}'
                  for t in TYPES]
        path = os.path.join(self.folder, "job.yaml")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def close(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def measure(command, env, stdout=None, switches=None):
    """Runs a command; returns (wall seconds, user+sys CPU seconds, peak RSS MiB, exit code).

    Through GNU time: a child forked straight from this (large) Python process would inherit
    its peak RSS as a floor (Linux keeps ru_maxrss across fork and exec). With `switches` (a
    list), appends the command's context switches, voluntary and involuntary: a count that,
    unlike CPU seconds, does not move with how busy the host is."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as record:
        start = time.monotonic()
        process = subprocess.run(["/usr/bin/time", "-q", "-f", "%M %U %S %w %c", "-o", record.name] + command, env=env,
                                 stdout=stdout or subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.monotonic() - start
        fields = record.read().split()
    rss_kib, user, system, voluntary, involuntary = (int(fields[-5]), float(fields[-4]), float(fields[-3]),
                                                      int(fields[-2]), int(fields[-1]))
    if switches is not None:
        switches.append(voluntary + involuntary)
    return wall, user + system, rss_kib / 1024, process.returncode


def run_orgbatch(orgbatch, scenario, variant, seed):
    spec = SCENARIOS[scenario]
    server = Server(spec["orgs"], spec["accounts"], spec["faults"], seed=seed)
    try:
        job = server.job(spec["orgs"])
        report = os.path.join(server.folder, "report.jsonl")
        args = [orgbatch, "run", job, "--report", report, "--concurrency", str(spec["concurrency"]), "--no-lock",
                "--quiet", "--no-progress"]
        if variant != "read-compare-write":
            args.append("--write-only")
        if variant == "write-only --cpus all":
            args += ["--cpus", "all"]  # the threads wherever the kernel puts them, not on one CPU
        if variant == "configured":
            args += ["--rate-limit", "PutAlternateContact=10"]
        elif variant != "discovered":
            args += ["--rate-limit", "*=none"]  # this endpoint does not throttle
        switches = []
        wall, cpu, rss, code = measure(args, server.env, switches=switches)
        lines = [json.loads(line) for line in open(report)]
        stats = server.stats()
        calls = spec["orgs"] * spec["accounts"] * len(TYPES)
        identities = {(l["org"], l["account"], l["params"].get("type")) for l in lines}
        return {
            "wall": wall, "cpu": cpu, "rss": rss, "exit": code, "requests": stats["requests"], "switches": switches[0],
            "throttled": stats["throttled"], "failed": sum(1 for l in lines if l["status"] == "failed"),
            "once": len(lines) == calls and len(identities) == calls, "calls": calls,
            "served_latency": stats["latency_ms_sum"] / max(stats["answered"], 1) / 1000,
            "turnaround": stats["turnaround_ms_sum"] / max(stats["turnarounds"], 1) / 1000,
        }
    finally:
        server.close()


def run_boto3(scenario, mode, seed):
    spec = SCENARIOS[scenario]
    # A client per profile keeps every connection of its pool open: over S4's 100
    # organizations, more than select(2) can watch.
    server = Server(spec["orgs"], spec["accounts"], spec["faults"], seed=seed, many_connections=spec["orgs"] > 10)
    try:
        out = os.path.join(server.folder, "boto3.json")
        with open(out, "w") as f:
            switches = []
            wall, cpu, rss, code = measure([sys.executable, os.path.join(HERE, "boto3_rollout.py"), server.world,
                                            "--workers", str(spec["concurrency"]), "--mode", mode], server.env, stdout=f,
                                           switches=switches)
        result = json.load(open(out))
        stats = server.stats()
        writes = stats["writes"]
        return {
            "wall": wall, "cpu": cpu, "rss": rss, "exit": code, "requests": stats["requests"], "switches": switches[0],
            "throttled": stats["throttled"], "failed": result["failures"],
            # Every target written once: as many writes as (account, type) pairs in the world.
            "once": len(writes) == result["calls"] == spec["orgs"] * spec["accounts"] * len(TYPES) and result["failures"] == 0,
            "calls": result["calls"],
        }
    finally:
        server.close()


def aws_cli_sample(samples=10):
    """The aws CLI's cost per call, from a few PutAlternateContact calls."""
    if shutil.which("aws") is None:
        return None
    server = Server(1, samples, {}, latency_ms=50)
    try:
        world = json.load(open(server.world))
        walls, cpus = [], []
        for account in world["orgs"][0]["members"]:
            wall, cpu, _, code = measure(["aws", "account", "put-alternate-contact", "--profile", "org0", "--account-id", account,
                                          "--alternate-contact-type", "SECURITY", "--name", "N", "--title", "T",
                                          "--email-address", "x@example.com", "--phone-number", "+1 1",
                                          "--endpoint-url", server.endpoint], server.env)
            if code == 0:
                walls.append(wall)
                cpus.append(cpu)
        return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "ok": len(walls), "of": samples} if walls else None
    finally:
        server.close()


def server_capacity(seconds=4):
    """Requests per second faultyaws answers with no latency, measured with wrk."""
    if shutil.which("wrk") is None:
        return None
    server = Server(1, 10, {}, latency_ms=0)
    try:
        world = json.load(open(server.world))
        account = world["orgs"][0]["members"][0]
        script = os.path.join(server.folder, "put.lua")
        body = json.dumps({"AccountId": account, "AlternateContactType": "SECURITY", "Name": "N", "Title": "T",
                           "EmailAddress": "x@example.com", "PhoneNumber": "+1 1"})
        with open(script, "w") as f:
            f.write(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                    f'wrk.headers["Content-Type"] = "application/json"\n'
                    f'wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIA{world["orgs"][0]["management_account_id"]}/20260101/us-east-1/account/aws4_request"\n')
        out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "-s", script, server.endpoint + "/putAlternateContact"],
                             capture_output=True, text=True).stdout
        if "Non-2xx" in out:
            return None  # the probe itself is wrong: do not report a capacity
        for line in out.splitlines():
            if line.startswith("Requests/sec:"):
                return float(line.split()[1])
        return None
    finally:
        server.close()


def memory_growth(orgbatch):
    """Peak RSS as the job grows: 3,000, 30,000 and 100,000 tasks (1 ms latency), first with
    the organizations as the job's accounts grow (100 of them, so every worker prepares one),
    then 3,000 tasks in 10 organizations (fewer workers prepare, so malloc's arenas stay smaller)."""
    rows = []
    for orgs, accounts in ((100, 10), (100, 100), (100, 334), (10, 100)):
        server = Server(orgs, accounts, {}, latency_ms=1)
        try:
            job = server.job(orgs)
            wall, cpu, rss, code = measure(write_only_command(orgbatch, job, 64), server.env)
            rows.append({"tasks": orgs * accounts * 3, "orgs": orgs, "accounts": accounts, "rss": rss, "wall": wall,
                         "cpu": cpu, "exit": code})
        finally:
            server.close()
    return rows


def build_floor(folder):
    """Builds bench/curl_floor.c into `folder`; returns its path, or None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not compiler:
        return None
    binary = os.path.join(folder, "curl_floor")
    built = subprocess.run([compiler, "-O2", "-o", binary, os.path.join(HERE, "curl_floor.c"), "-lcurl", "-lpthread"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return binary if built.returncode == 0 else None


def floor_command(binary, server, threads, per_thread, cpus="1", rate=0):
    """The command line of libcurl alone against `server`: PutAlternateContact to org0's first
    member, `per_thread` times from each of `threads` threads, on one CPU (as orgbatch keeps its
    threads by default, --cpus 1) or, with `cpus` "all", wherever the kernel puts them; with
    `rate`, paced at that many requests per second over all threads."""
    with open(server.world) as f:
        org = json.load(f)["orgs"][0]
    # faultyaws knows callers by access key: AKIA and the account id.
    key = "AKIA" + org["management_account_id"]
    authorization = (f"Authorization: AWS4-HMAC-SHA256 Credential={key}/20261125/us-east-1/account/aws4_request, "
                     f"SignedHeaders=content-type;host;x-amz-date, Signature={'0' * 64}")
    return [binary, server.endpoint + "/putAlternateContact", authorization, org["members"][0], str(threads),
            str(per_thread), cpus, str(rate)]


def write_only_command(orgbatch, job, concurrency):
    """orgbatch's write-only run of `job`, told the endpoint does not throttle."""
    return [orgbatch, "run", job, "--write-only", "--concurrency", str(concurrency), "--no-lock", "--quiet",
            "--no-progress", "--rate-limit", "*=none"]


def floor_run(binary, seed, threads=32, per_thread=94, cpus="1", rate=0):
    """One run of libcurl alone: S1's 3,008 requests from 32 threads, nothing else (with `rate`,
    paced as S2's configured limit paces orgbatch).

    Returns (CPU-s per 1,000 requests, context switches per 1,000 requests), or None if a
    request failed."""
    server = Server(10, 100, {}, seed=seed)
    try:
        counted = []
        wall, cpu, rss, code = measure(floor_command(binary, server, threads, per_thread, cpus, rate), server.env,
                                       switches=counted)
        if code != 0:
            return None
        return cpu / (threads * per_thread) * 1000, counted[0] / (threads * per_thread) * 1000
    finally:
        server.close()


def curl_floor(repeat, cpus="1"):
    """libcurl alone (bench/curl_floor.c), `repeat` runs on `cpus` (see `floor_command`).

    Returns (CPU-s per 1,000 requests: median, min, max; context switches per 1,000 requests:
    median), or None without a C compiler."""
    folder = tempfile.mkdtemp(prefix="orgbatch-floor-")
    try:
        binary = build_floor(folder)
        if not binary:
            return None
        runs = [r for r in (floor_run(binary, seed, cpus=cpus) for seed in range(1, repeat + 1)) if r]
        if not runs:
            return None
        cpus = [cpu for cpu, _ in runs]
        return statistics.median(cpus), min(cpus), max(cpus), statistics.median(s for _, s in runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def callgrind(command, env, folder):
    """User-space instructions a command executes, counted by valgrind's callgrind."""
    out = os.path.join(folder, "callgrind.out")
    process = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + command, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in process.stderr.splitlines():
        if "Collected :" in line:
            return process.returncode, int(line.split(":")[-1].strip())
    return process.returncode, None


def instruction_counts(orgbatch, orgs=3, threads=8):
    """Instructions per request and per run, for orgbatch (write-only, `orgs` organizations of 1
    and of 100 accounts) and for libcurl alone (`threads` threads of 1 and of 100 requests): each
    from the difference between its two runs, against faultyaws at 1 ms.

    Returns {"orgbatch": (per request, per run), "floor": (per request, per run)}, or None
    without valgrind, objcopy or a C compiler."""
    if not (shutil.which("valgrind") and shutil.which("objcopy")):
        return None
    folder = tempfile.mkdtemp(prefix="orgbatch-callgrind-")
    try:
        # valgrind 3.19 cannot read the DWARF 5 the release build carries; the symbols suffice.
        binary = os.path.join(folder, "orgbatch")
        if subprocess.run(["objcopy", "--strip-debug", orgbatch, binary]).returncode != 0:
            return None
        floor = build_floor(folder)
        if not floor:
            return None
        points = {"orgbatch": [], "floor": []}
        for accounts in (1, 100):
            server = Server(orgs, accounts, {}, latency_ms=1)
            try:
                job = server.job(orgs)
                code, count = callgrind(write_only_command(binary, job, threads)
                                        + ["--report", os.path.join(server.folder, "report.jsonl")], server.env, folder)
                if code != 0 or count is None:
                    return None
                points["orgbatch"].append((server.stats()["requests"], count))
            finally:
                server.close()
        for per_thread in (1, 100):
            server = Server(1, 1, {}, latency_ms=1)
            try:
                code, count = callgrind(floor_command(floor, server, threads, per_thread), server.env, folder)
                if code != 0 or count is None:
                    return None
                points["floor"].append((threads * per_thread, count))
            finally:
                server.close()
        result = {}
        for name, ((few, small), (many, large)) in points.items():
            per_request = (large - small) / (many - few)
            result[name] = (per_request, small - few * per_request)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def startup(orgbatch, runs=20):
    folder = tempfile.mkdtemp(prefix="orgbatch-bench-")
    try:
        with open(os.path.join(folder, "config"), "w") as f:
            f.write("".join(f"[profile org{i}]\nregion = us-east-1\n" for i in range(100)))
        job = os.path.join(folder, "job.yaml")
        with open(job, "w") as f:
            f.write("orgs:\n" + "".join(f"  - {{name: org{i}, profile: org{i}}}\n" for i in range(100)))
            f.write('actions:\n  - alternateContact: {type: SECURITY, name: N, title: T, email: x@example.com, phone: "+1 1"}\n')
        env = dict(os.environ, AWS_CONFIG_FILE=os.path.join(folder, "config"))
        walls = [measure([orgbatch, "validate", job], env)[0] for _ in range(runs)]
        return statistics.median(walls) * 1000
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def note_against_floor(what, ratios, notes):
    """Adds to `notes` the run-by-run pairs of orgbatch's CPU per 1,000 requests and libcurl
    alone's (`ratios`, a list of (orgbatch, libcurl alone)); returns the median of orgbatch's
    over libcurl alone's, or None when there are no pairs (no C compiler)."""
    if not ratios:
        return None
    ratio = statistics.median(ours / alone for ours, alone in ratios)
    pairs = ", ".join(f"{ours:.3f} against {alone:.3f}" for ours, alone in ratios)
    notes.append(f"{what}, run by run: CPU-s per 1,000 requests {pairs}; orgbatch costs {ratio:.2f} times libcurl "
                 f"alone (median of the pairs).")
    return ratio


def s1_against_floor(orgbatch, repeat, notes):
    """S1 write-only, each run followed by one with `--cpus all` and one of libcurl alone: CPU
    seconds on a shared host move with its load (2x within an hour here), so the three are
    compared run by run. Adds the ratios to `notes`; returns orgbatch's results, default and
    `--cpus all`, and the median of orgbatch's CPU over libcurl alone's (None without a C compiler)."""
    folder = tempfile.mkdtemp(prefix="orgbatch-floor-")
    try:
        binary = build_floor(folder)
        results, everywhere, ratios, spread = [], [], [], []
        for seed in range(1, repeat + 1):
            result = run_orgbatch(orgbatch, "S1", "write-only", seed)
            results.append(result)
            other = run_orgbatch(orgbatch, "S1", "write-only --cpus all", seed)
            everywhere.append(other)
            ours = result["cpu"] / result["requests"] * 1000
            spread.append((ours, other["cpu"] / other["requests"] * 1000))
            floor = floor_run(binary, seed) if binary else None
            if floor:
                ratios.append((ours, floor[0]))
        pairs = ", ".join(f"{one:.3f} against {every:.3f}" for one, every in spread)
        notes.append(f"S1 write-only on one CPU (the default) against --cpus all, run by run: CPU-s per 1,000 requests "
                     f"{pairs}; one CPU costs {statistics.median(one / every for one, every in spread):.2f} times "
                     f"as much (median of the pairs).")
        return results, everywhere, note_against_floor("S1 write-only against libcurl alone", ratios, notes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def s2_against_floor(orgbatch, repeat, notes):
    """S2 configured, each run followed by one of libcurl alone paced at the same 100 requests/s
    (10 organizations at 10/s): pacing costs every request a second wake-up, for any client, so
    S2's CPU is compared with that floor, run by run. Adds the ratios to `notes`; returns
    orgbatch's results."""
    folder = tempfile.mkdtemp(prefix="orgbatch-floor-")
    try:
        binary = build_floor(folder)
        rate = SCENARIOS["S2"]["orgs"] * SCENARIOS["S2"]["faults"]["throttle"]["rate"]
        results, ratios = [], []
        for seed in range(1, repeat + 1):
            result = run_orgbatch(orgbatch, "S2", "configured", seed)
            results.append(result)
            floor = floor_run(binary, seed, rate=rate) if binary else None
            if floor:
                ratios.append((result["cpu"] / result["requests"] * 1000, floor[0]))
        note_against_floor(f"S2 configured against libcurl alone paced at the same {rate} requests/s", ratios, notes)
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def summarise(results, ideal, calls):
    walls = [r["wall"] for r in results]
    median = statistics.median(walls)
    return {
        "median": median, "min": min(walls), "max": max(walls), "ratio": median / ideal,
        # Per 1,000 requests actually sent (a read-compare-write run sends two per task).
        "cpu_per_1000": statistics.median(r["cpu"] / r["requests"] * 1000 for r in results),
        "switches_per_1000": statistics.median(r["switches"] / r["requests"] * 1000 for r in results),
        "rss": max(r["rss"] for r in results),
        "throttled": statistics.median(r["throttled"] / r["requests"] * 100 for r in results),
        "failed": max(r["failed"] for r in results), "once": all(r["once"] for r in results),
        "served_latency": statistics.median(r.get("served_latency", LATENCY) for r in results),
        "turnaround": statistics.median(r.get("turnaround", 0) for r in results),
    }


def row(label, s):
    return (f"| {label} | {s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f}) | {s['ratio']:.3f} | {s['cpu_per_1000']:.3f} s "
            f"| {s['switches_per_1000']:,.0f} | {s['rss']:.1f} MiB | {s['throttled']:.2f} % | {s['failed']} "
            f"| {'yes' if s['once'] else 'NO'} |")


def target_lines(measured, growth, start_ms, floor, s1_ratio):
    """The issue's targets, each with what this run measured and whether it was met.

    `measured` maps "S1 write-only" and the like to `summarise`'s results; `growth` is
    `memory_growth`'s rows; `floor` is libcurl alone's CPU per 1,000 requests on one CPU and
    `s1_ratio` orgbatch's S1 CPU over it, run by run (either may be None)."""
    def verdict(ok):
        return "met" if ok else "**missed**"

    lines = []
    for name, limit in (("S1 write-only", 1.05), ("S4 write-only", 1.05), ("S3 write-only", 1.30)):
        if name in measured:
            ratio, served = measured[name]["ratio"], measured[name]["served_latency"]
            lines.append(f"{name.split()[0]} wall time within {round((limit - 1) * 100)} % of the ideal: {ratio:.3f} "
                         f"({ratio * LATENCY / served:.3f} at the {served * 1000:.1f} ms the server took), "
                         f"{verdict(ratio <= limit)}.")
    for name, throttled in (("S2 configured", 1.0), ("S2 discovered", 5.0)):
        if name in measured:
            s = measured[name]
            lines.append(f"{name}: within 3 % of the throttle bound with at most {throttled:.0f} % throttled: "
                         f"{s['ratio']:.3f}, {s['throttled']:.2f} %, {verdict(s['ratio'] <= 1.03 and s['throttled'] <= throttled)}.")
    if measured:
        clean = all(s["failed"] == 0 and s["once"] for s in measured.values())
        lines.append(f"Zero failed tasks, every task in the report once, in every orgbatch run: {verdict(clean)}.")
    cpu = {name: s["cpu_per_1000"] for name, s in measured.items()
           if name in ("S1 write-only", "S1 read-compare-write", "S3 write-only", "S4 write-only")}
    if cpu:
        figures = ", ".join(f"{name} {value:.3f}" for name, value in cpu.items())
        line = f"CPU at most 0.10 s per 1,000 calls: {figures}, {verdict(max(cpu.values()) <= 0.10)}."
        if max(cpu.values()) > 0.10 and floor and s1_ratio:
            # CPU seconds on a shared host move with its load; libcurl alone shows how busy it was.
            line += (f" libcurl alone cost {floor:.3f} here and orgbatch's S1 {s1_ratio:.2f} times that, run by run: "
                     f"S1 reaches 0.10 on a host where libcurl alone costs {0.10 / s1_ratio:.3f} or less.")
        if "S2 configured" in measured:
            line += (" S2 is left out: paced at 100 requests/s, every request also sleeps until its turn, and libcurl "
                     "alone paced the same way is its floor (see the notes above).")
        lines.append(line)
    if "S4 write-only" in measured:
        rss = measured["S4 write-only"]["rss"]
        lines.append(f"Peak RSS at most 40 MiB in S4: {rss:.1f} MiB, {verdict(rss <= 40)}.")
    if len(growth) >= 3:
        small, large = growth[0], growth[2]
        grown = large["rss"] / small["rss"] - 1
        # "Flat": 33 times the tasks in less than 15 % more memory.
        lines.append(f"Flat as the job grows: {small['rss']:.1f} MiB for {small['tasks']:,} tasks, {large['rss']:.1f} MiB "
                     f"for {large['tasks']:,} (+{grown * 100:.0f} % for {large['tasks'] / small['tasks']:.0f} times the "
                     f"tasks; counted flat under +15 %), {verdict(grown < 0.15)}.")
    lines.append(f"`orgbatch validate` of a 100-org job under 50 ms: {start_ms:.1f} ms, {verdict(start_ms < 50)}.")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scenarios", default="S1,S2,S3,S4")
    parser.add_argument("--orgbatch", default=os.path.join(ROOT, ".build", "release", "orgbatch"))
    parser.add_argument("--quick", action="store_true", help="one repetition, no boto3 in S4")
    parser.add_argument("--no-boto3", action="store_true")
    parser.add_argument("--no-callgrind", action="store_true", help="skip the instruction counts (valgrind)")
    args = parser.parse_args()
    repeat = 1 if args.quick else args.repeat
    out = []

    def say(text=""):
        print(text, flush=True)
        out.append(text)

    say(f"# orgbatch benchmark, {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}")
    say()
    say(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; python {platform.python_version()}.")
    flags = " ".join(flag for flag, on in (("--quick", args.quick), ("--no-boto3", args.no_boto3),
                                           ("--no-callgrind", args.no_callgrind)) if on)
    say(f"Command: `python3 bench/bench.py --repeat {repeat} --scenarios {args.scenarios}{' ' + flags if flags else ''}`; "
        f"medians of {repeat} run(s), (min–max).")
    capacity = server_capacity()
    say(f"faultyaws capacity (wrk, 64 connections, no latency): {capacity:.0f} requests/s." if capacity else "wrk not found: capacity not measured.")
    say()
    say("| scenario / client | wall time | ratio to ideal | CPU per 1,000 requests | context switches per 1,000 requests "
        "| peak RSS | throttled | failed | every task once |")
    say("|---|---|---|---|---|---|---|---|---|")
    notes = []
    measured = {}  # "S1 write-only" -> summary, for the targets at the end
    s1_ratio = None
    for scenario in args.scenarios.split(","):
        spec = SCENARIOS[scenario]
        calls = spec["orgs"] * spec["accounts"] * 3
        ideal = calls / (spec["orgs"] * 10) if scenario == "S2" else calls * LATENCY / spec["concurrency"]
        variants = ["configured", "discovered"] if scenario == "S2" else ["write-only"]
        if scenario == "S1":
            variants += ["write-only --cpus all", "read-compare-write"]
        paired = {}
        for variant in variants:
            if scenario == "S1" and variant == "write-only":
                results, paired["write-only --cpus all"], s1_ratio = s1_against_floor(args.orgbatch, repeat, notes)
            elif scenario == "S2" and variant == "configured":
                results = s2_against_floor(args.orgbatch, repeat, notes)
            elif variant in paired:
                results = paired[variant]
            else:
                results = [run_orgbatch(args.orgbatch, scenario, variant, seed) for seed in range(1, repeat + 1)]
            variant_ideal = ideal * 2 if variant == "read-compare-write" else ideal
            summary = summarise(results, variant_ideal, calls)
            measured[f"{scenario} {variant}"] = summary
            say(row(f"{scenario} orgbatch {variant} (ideal {variant_ideal:.2f} s)", summary))
            if scenario != "S2":
                served = summary["served_latency"]
                notes.append(f"{scenario} {variant}: the server answered in {served * 1000:.1f} ms on average, so the "
                             f"ideal at that latency is {variant_ideal * served / LATENCY:.2f} s and orgbatch took "
                             f"{summary['median'] / (variant_ideal * served / LATENCY):.3f} of it; from an answer to the "
                             f"next request on the same connection took {summary['turnaround'] * 1000:.2f} ms.")
        if args.no_boto3 or (args.quick and scenario == "S4"):
            continue
        for mode in ("standard", "adaptive"):
            results = [run_boto3(scenario, mode, seed) for seed in range(1, repeat + 1)]
            say(row(f"{scenario} boto3 {mode}", summarise(results, ideal, calls)))
    say()
    for note in notes:
        say(f"- {note}")
    say()
    cli = aws_cli_sample()
    if cli:
        say(f"aws CLI: {cli['wall']:.2f} s and {cli['cpu']:.2f} CPU-s per call ({cli['ok']} of {cli['of']} calls); "
            f"3,000 calls one after another would take about {cli['wall'] * 3000 / 60:.0f} min and {cli['cpu'] * 3000:.0f} CPU-s.")
    floor = curl_floor(repeat)
    if floor:
        say(f"libcurl alone (`bench/curl_floor.c`: S1's 3,008 requests from 32 threads on one CPU, one easy handle each, "
            f"the same request, nothing else): {floor[0]:.3f} CPU-s per 1,000 requests ({floor[1]:.3f}–{floor[2]:.3f}), "
            f"{floor[3]:,.0f} context switches per 1,000 requests.")
    # The same on both CPUs, as measured up to the eleventh session: a gauge of how busy the
    # host is that compares with those sessions (their quietest hour: 0.057–0.063).
    both = curl_floor(repeat, cpus="all")
    if both:
        say(f"libcurl alone on both CPUs, as measured up to the eleventh session (a gauge of the host against theirs): "
            f"{both[0]:.3f} CPU-s per 1,000 requests ({both[1]:.3f}–{both[2]:.3f}).")
    if not args.no_callgrind:
        counted = instruction_counts(args.orgbatch)
        if counted:
            say(f"Instructions (callgrind; user space only, the same count on every run of the same binaries): orgbatch "
                f"{counted['orgbatch'][0] / 1000:.0f} k per request and {counted['orgbatch'][1] / 1e6:.0f} M per run "
                f"(start-up, job file, preflight); libcurl alone {counted['floor'][0] / 1000:.0f} k per request and "
                f"{counted['floor'][1] / 1e6:.0f} M per run. Under valgrind SHA-256 runs BoringSSL's AVX code, not the "
                f"SHA extensions it uses natively, so orgbatch's count is high by about 20 k per request.")
    say()
    say("| tasks (write-only, 1 ms latency, concurrency 64) | organizations × accounts | peak RSS | wall | CPU per 1,000 |")
    say("|---|---|---|---|---|")
    growth = memory_growth(args.orgbatch)
    for r in growth:
        say(f"| {r['tasks']:,} | {r['orgs']} × {r['accounts']} | {r['rss']:.1f} MiB | {r['wall']:.1f} s "
            f"| {r['cpu'] / r['tasks'] * 1000:.3f} s |")
    say()
    start_ms = startup(args.orgbatch)
    say(f"Start-up: `orgbatch validate` of a 100-org job: {start_ms:.1f} ms (median of 20).")
    say()
    say("Against the issue's targets:")
    say()
    for line in target_lines(measured, growth, start_ms, floor[0] if floor else None, s1_ratio):
        say(f"- {line}")
    with open(os.path.join(HERE, "results.md"), "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()

"""`make bench`: answer latency in process, then a bounded load run over loopback.

Prints figures; asserts nothing. Every loop is bounded in count or time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.match import DECISIVE, EntryView, Matcher  # noqa: E402
from kb.query import clean_query  # noqa: E402
from kb.service import KnowledgeBase  # noqa: E402

# what a support bot sends, commonest first; pasted errors carry a request id and a time that
# differ on every paste ({id}, {time})
QUERIES = [
    "401 invalid access token or token expired",
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'hour allocated quota exceeded', "
    "'type': 'insufficient_quota'}, 'request_id': '{id}'}",
    "Can I get my money back?",
    "{time} ERROR request failed: Connection error",
    "Error code: 400 - {'error': {'message': 'Range of input length should be [1, 30720]'}, 'request_id': '{id}'}",
    "week alocated quota exceded",
    "What base URL should Claude Code use for coding plan?",
    "glm-5 context window size",
    "model 'Qwen3-Coder-Plus' is not supported",
    "How do I configure nginx as a reverse proxy?",
    "can I upgrade my plan",
    "Does qwen3-coder-plus support thinking mode?",
]
NEW_SHARE = 0.25  # of the support mix, by default: queries never seen before
# what people type in the search page: questions in their own words (the project's labelled customer
# questions, answerable or not), the queries most often scored again by meaning
PEOPLE = [json.loads(line)["q"] for line in (ROOT / "tests" / "data" / "questions.jsonl").read_text().splitlines()
          if line.strip()]
# a query "never seen before" is sent with this header, so the server works its answer out in full:
# from neither answer cache nor the cache of query vectors (marking the text instead, with a ticket
# number, say, would change what is matched: query clean-up drops such references)
NEW = b"Cache-Control: no-cache\r\n"


def fill(query: str, rng: random.Random) -> str:
    stamp = dt.datetime(2026, 5, 1) + dt.timedelta(seconds=rng.randrange(5_000_000))
    return query.replace("{id}", str(uuid.UUID(int=rng.getrandbits(128), version=4))).replace(
        "{time}", stamp.isoformat(sep=" "))


def mix(mode: str, new_share: float = NEW_SHARE, n: int = 200_000, seed: int = 11) -> list[bytes]:
    """Requests for a load run.

    repeat:  the query list again and again, every answer from the cache after the first round;
    support: queries drawn with a Zipf-like skew (the commonest error most often), each paste with a
             new request id and time, and `new_share` of them never seen before;
    unique:  the same draws, every query never seen before, so nothing comes from a cache;
    people:  customer-worded questions, every one never seen before.
    """
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(QUERIES))]
    out = []
    for k in range(n):
        new = mode in ("unique", "people")
        if mode == "repeat":
            q = fill(QUERIES[k % len(QUERIES)], random.Random(0))
        elif mode == "people":
            q = rng.choice(PEOPLE)
        else:
            q = fill(rng.choices(QUERIES, weights)[0], rng)
            new = new or rng.random() < new_share
        path = ("/api/answer?" + urllib.parse.urlencode({"q": q})).encode()
        out.append(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (NEW if new else b"") + b"\r\n")
    return out


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def time_queries(matcher: Matcher, queries: list[str], rounds: int) -> tuple[float, float]:
    queries = [fill(q, random.Random(0)) for q in queries]
    for q in queries:  # warm caches the way a running server has them
        matcher.search(q)
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            matcher.search(q)
            samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def synthetic(entries: list[EntryView], n: int, seed: int = 7) -> list[EntryView]:
    """n entries made by recombining the shipped ones' words, so the vocabulary looks real."""
    rng = random.Random(seed)
    words = [w for e in entries for w in (e.question + " " + e.answer).split() if w.isalpha()]
    out = list(entries)
    while len(out) < n:
        base = rng.choice(entries)
        q = " ".join(rng.sample(words, rng.randint(4, 10))) + "?"
        a = " ".join(rng.sample(words, rng.randint(20, 80))) + "."
        out.append(EntryView(id=f"s{len(out)}", kind=rng.choice(["faq", "faq", "error"]), question=q, answer=a,
                             product=base.product, section=base.section, line_start=1, line_end=2,
                             document=f"synthetic-{len(out) % 50}.txt", title="Synthetic", updated=None))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children (the workers), from /proc."""
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def start_server(cmd: list[str], port: int, env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env})
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/answer?q=warm", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(cmd)}")


async def load(port: int, requests: list[bytes], clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections sending requests back to back for `seconds`."""
    latencies: list[float] = []
    errors = sent = 0
    deadline = time.monotonic() + seconds

    async def one(k: int) -> None:
        nonlocal errors, sent
        # connect one at a time, as clients arrive: opened all at once, every connection can land on
        # the worker whose accept woke first, and the other workers stand idle
        await asyncio.sleep(k * 0.005)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                request = requests[sent % len(requests)]
                sent += 1
                start = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")))
                await reader.readexactly(length)
                latencies.append((time.perf_counter() - start) * 1000)
                if not head.startswith(b"HTTP/1.1 200"):
                    errors += 1
        except (OSError, asyncio.IncompleteReadError, StopIteration):
            errors += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(one(k) for k in range(clients)))
    elapsed = time.monotonic() - started
    p50, p99 = percentiles(latencies) if latencies else (0.0, 0.0)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": p50, "p99": p99, "errors": errors}


def run_load(cmd: list[str], port: int, env: dict[str, str], mode: str, clients: int, seconds: float,
             new_share: float) -> dict:
    proc = start_server(cmd, port, env)
    try:
        client = subprocess.Popen([sys.executable, __file__, "--client", str(port), str(clients), str(seconds), mode,
                                   str(new_share)],
                                  stdout=subprocess.PIPE, text=True)
        client.stdout.readline()  # the client has built its requests and starts sending now
        cpu_before, started = cpu_seconds(proc.pid), time.monotonic()
        out, _ = client.communicate(timeout=seconds + 60)
        result = json.loads(out)
        # 1.0 is one core busy throughout (the log-writing thread can add a little more)
        result["cpu"] = (cpu_seconds(proc.pid) - cpu_before) / (time.monotonic() - started)
        result["peak_mb"] = peak_rss_mb(proc.pid)
        return result
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, default=ROOT / "var" / "kb.sqlite")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--new-share", type=float, default=NEW_SHARE,
                    help=f"share of never-seen queries in the support mix (default {NEW_SHARE})")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="worker processes for the second set of load runs (default: one per core)")
    ap.add_argument("--client", nargs=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:  # the load generator, in its own process
        port, clients, seconds, mode, share = args.client
        requests = mix(mode, float(share))
        print("ready", flush=True)
        result = asyncio.run(load(int(port), requests, int(clients), float(seconds)))
        print(json.dumps(result))
        return

    kb = KnowledgeBase(args.db)
    p50, p99 = time_queries(kb.matcher, QUERIES, 50)
    print(f"in-process answer latency, shipped base ({len(kb.entries)} entries): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    if kb.matcher.encode is not None:
        words_only = Matcher(kb.entries)
        undecided = 100 * sum(bool(r.matches) and r.matches[0].score < DECISIVE
                              for r in map(words_only.search, PEOPLE)) / len(PEOPLE)
        samples = []
        for q in PEOPLE:
            start = time.perf_counter()
            kb.matcher.rank(clean_query(q), fresh=True)
            samples.append((time.perf_counter() - start) * 1000)
        p50, p99 = percentiles(samples)
        print(f"in-process answer latency, {len(PEOPLE)} customer-worded questions, none cached ({undecided:.0f}% scored again "
              f"by meaning): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    start = time.perf_counter()
    big = Matcher(synthetic(kb.entries, 10_000))
    built = time.perf_counter() - start
    p50, p99 = time_queries(big, QUERIES, 5)
    print(f"in-process answer latency, synthetic base (10,000 entries, words only, index built once in {built:.1f} s): "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    kb_cmd = [sys.executable, "-m", "kb", "serve", "--db", str(args.db), "--port", "{port}", "--workers", "{workers}"]
    bare_cmd = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", "{port}", "--workers", "{workers}",
                "--no-access-log", "--log-level", "warning"]
    bare_env = {"PYTHONPATH": str(ROOT)}
    # one worker, then one per core (the clients share the cores); each against the bare endpoint
    # run with as many workers, so the share reads as the framework's own ceiling on the same means
    runs = []
    for workers in sorted({1, args.workers}):
        runs += [
            (f"answers, support mix ({args.new_share:.0%} new)", kb_cmd, {}, "support", workers),
            ("answers, repeating mix", kb_cmd, {}, "repeat", workers),
            ("answers, every query new", kb_cmd, {}, "unique", workers),
            ("answers, people's questions", kb_cmd, {}, "people", workers),
            ("bare Litestar constant JSON", bare_cmd, bare_env, "repeat", workers),
        ]
    print(f"load, {args.clients} clients for {args.seconds:.0f} s over loopback:")
    results = {}
    for name, cmd, env, mode, workers in runs:
        port = free_port()
        r = results[name, workers] = run_load([c.format(port=port, workers=workers) for c in cmd], port, env, mode,
                                              args.clients, args.seconds, args.new_share)
        print(f"  {name:30} {workers} worker{'s' if workers > 1 else ' '} {r['rps']:6.0f} req/s  p50 {r['p50']:5.1f} ms  "
              f"p99 {r['p99']:5.1f} ms  errors {r['errors']}  server CPU {r['cpu']:.0%}  peak server memory "
              f"{r['peak_mb']:.0f} MB", flush=True)
        if mode == "repeat" and cmd is bare_cmd:
            shares = ", ".join(f"{results[n, w]['rps'] / r['rps']:.0%} ({n.removeprefix('answers, ')})"
                               for n, _, _, _, w in runs if w == workers and (n, w) != (name, workers))
            print(f"  answers/s as a share of the bare endpoint, {workers} worker(s): {shares}")


if __name__ == "__main__":
    main()

"""`make bench`: answer latency in process, then a bounded load run over loopback.

Prints figures; asserts nothing. Every loop is bounded in count or time and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.match import EntryView, Matcher  # noqa: E402
from kb.service import KnowledgeBase  # noqa: E402

QUERIES = [
    "401 invalid access token or token expired",
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'hour allocated quota exceeded', 'type': 'insufficient_quota'}}",
    "Error code: 400 - {'error': {'message': 'Range of input length should be [1, 30720]'}}",
    "Can I get my money back?",
    "week alocated quota exceded",
    "What base URL should Claude Code use for coding plan?",
    "glm-5 context window size",
    "2026-05-02 09:14:33 ERROR request failed: Connection error",
    "How do I configure nginx as a reverse proxy?",
    "model 'Qwen3-Coder-Plus' is not supported",
    "can I upgrade my plan",
    "Does qwen3-coder-plus support thinking mode?",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def time_queries(matcher: Matcher, queries: list[str], rounds: int) -> tuple[float, float]:
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


async def load(port: int, paths: list[bytes], clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections sending requests back to back for `seconds`."""
    latencies: list[float] = []
    errors = sent = 0
    deadline = time.monotonic() + seconds

    async def one(k: int) -> None:
        nonlocal errors, sent
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                path = paths[sent % len(paths)]
                sent += 1
                start = time.perf_counter()
                writer.write(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
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


def mix(mode: str) -> list[bytes]:
    """The request paths: the query mix as sent again and again, or every query new (none cached)."""
    if mode == "repeat":
        return [("/api/answer?" + urllib.parse.urlencode({"q": q})).encode() for q in QUERIES]
    return [("/api/answer?" + urllib.parse.urlencode({"q": f"{QUERIES[n % len(QUERIES)]} request {n}"})).encode()
            for n in range(200_000)]


def run_load(cmd: list[str], port: int, env: dict[str, str], paths: str, clients: int, seconds: float) -> dict:
    proc = start_server(cmd, port, env)
    try:
        client = subprocess.run(
            [sys.executable, __file__, "--client", str(port), str(clients), str(seconds), paths],
            capture_output=True, text=True, timeout=seconds + 60,
        )
        result = json.loads(client.stdout)
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
    ap.add_argument("--client", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.client:  # the load generator, in its own process
        port, clients, seconds, mode = args.client
        result = asyncio.run(load(int(port), mix(mode), int(clients), float(seconds)))
        print(json.dumps(result))
        return

    kb = KnowledgeBase(args.db)
    p50, p99 = time_queries(kb.matcher, QUERIES, 50)
    print(f"in-process answer latency, shipped base ({len(kb.entries)} entries): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    start = time.perf_counter()
    big = Matcher(synthetic(kb.entries, 10_000))
    built = time.perf_counter() - start
    p50, p99 = time_queries(big, QUERIES, 5)
    print(f"in-process answer latency, synthetic base (10,000 entries, index built once in {built:.1f} s): "
          f"p50 {p50:.2f} ms, p99 {p99:.2f} ms")

    paths, unique = "repeat", "unique"
    port = free_port()
    kb_cmd = [sys.executable, "-m", "kb", "serve", "--db", str(args.db), "--port", str(port)]
    real = run_load(kb_cmd, port, {}, paths, args.clients, args.seconds)
    port = free_port()
    kb_cmd = [sys.executable, "-m", "kb", "serve", "--db", str(args.db), "--port", str(port)]
    fresh = run_load(kb_cmd, port, {}, unique, args.clients, args.seconds)
    port = free_port()
    bare_cmd = [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port), "--no-access-log",
                "--log-level", "warning"]
    bare = run_load(bare_cmd, port, {"PYTHONPATH": str(ROOT)}, paths, args.clients, args.seconds)
    print(f"load, {args.clients} clients for {args.seconds:.0f} s over loopback (one uvicorn worker each):")
    for name, r in (("answers, repeating mix", real), ("answers, every query new", fresh),
                    ("bare Litestar constant JSON", bare)):
        print(f"  {name:28} {r['rps']:8.0f} req/s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
              f"errors {r['errors']}  peak server memory {r['peak_mb']:.0f} MB")
    print(f"  answers/s as a share of the bare endpoint: {real['rps'] / bare['rps']:.0%} (repeating mix), "
          f"{fresh['rps'] / bare['rps']:.0%} (every query new)")


if __name__ == "__main__":
    main()

"""Through a real uvicorn server on a loopback port, started the way `kb serve` starts it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kb.build import build

NEW_DOC = """Widget Plan FAQ

Last Updated:Nov 01, 2026

Billing

Can I pay for the Coding Plan with gift vouchers?

Yes. Coding Plan accepts gift vouchers from the voucher centre since November 2026.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5.0) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


class Server:
    def __init__(self, base: str, proc: subprocess.Popen, log: Path) -> None:
        self.base, self.proc, self.log_path = base, proc, log

    def stop(self) -> str:
        """Stop the server and return everything it printed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.log_path.read_text(errors="replace")


@contextmanager
def serving(db: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    port = free_port()
    log = db.with_name(f"server-{port}.log")
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kb", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port), *extra],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "KB_RELOAD_SECONDS": "0.2", **(env or {})},
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    base = server.base
    try:
        for _ in range(100):
            try:
                if get(base + "/health", 0.5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start: " + server.stop())
        yield server
    finally:
        server.stop()


def ask(base: str, q: str, **params: str) -> tuple[int, dict]:
    return get(base + "/api/answer?" + urllib.parse.urlencode({"q": q, **params}))


def test_a_real_server_answers_and_keeps_keys_out_of_its_log(built_db: Path) -> None:
    with serving(built_db) as server:
        status, body = ask(server.base, "401 invalid access token sk-sp-9a8b7c6d5e4f3a2b1c0d")
        assert status == 200 and body["confident"] and body["product"] == "coding-plan"
        status, body = ask(server.base, "my pizza oven with key sk-1234567890abcdef is cold")
        assert status == 200 and not body["confident"]
        status, body = ask(server.base, "x", limit="0")
        assert status == 400 and "limit" in body["detail"]
        log = server.stop()
    # by default only the unanswered question is logged, its key masked
    assert "1234567890abcdef" not in log and "q='my pizza oven with key sk-****" in log
    assert "9a8b7c6d5e4f3a2b1c0d" not in log and "invalid access token" not in log


def test_at_debug_level_every_answer_is_logged_with_its_key_masked(built_db: Path) -> None:
    with serving(built_db, env={"KB_LOG_LEVEL": "debug"}) as server:
        status, body = ask(server.base, "401 invalid access token sk-sp-9a8b7c6d5e4f3a2b1c0d")
        assert status == 200 and body["confident"]
        log = server.stop()
    assert "9a8b7c6d5e4f3a2b1c0d" not in log
    assert "q='401 invalid access token sk-sp-****' product=coding-plan confident=True" in log


def test_a_long_query_in_the_url_reaches_the_length_check(built_db: Path) -> None:
    """The HTTP parser takes a request line of up to 64 KiB, so a GET past the query limit gets
    the service's own 413 and its reason, not the parser's bare refusal."""
    with serving(built_db) as server:
        status, body = ask(server.base, "quota exceeded " * 3000)
    assert status == 413 and body["detail"] == "query too long: 45000 characters, the limit is 10000"


def test_serve_refuses_an_unknown_log_level(built_db: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kb", "serve", "--db", str(built_db)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "KB_LOG_LEVEL": "chatty"})
    assert proc.returncode != 0 and "KB_LOG_LEVEL='chatty' is not a log level" in proc.stderr


def test_rebuild_while_serving_swaps_in_the_new_base_without_a_failed_request(sources_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    build(sources_copy, db)
    failures: list[str] = []
    answered = 0
    stop = threading.Event()

    def client_loop(base: str) -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                status, body = ask(base, "hour allocated quota exceeded")
                if status != 200 or not body["answers"]:
                    failures.append(f"{status} {body}")
                answered += 1
            except Exception as err:  # noqa: BLE001  (any failure at all is what this test counts)
                failures.append(repr(err))

    with serving(db) as server:
        base = server.base
        assert not ask(base, "pay with gift vouchers")[1]["confident"]
        threads = [threading.Thread(target=client_loop, args=(base,)) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            (sources_copy / "vouchers.txt").write_text(NEW_DOC, encoding="utf-8")
            for _ in range(3):
                build(sources_copy, db)
                time.sleep(0.3)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                status, body = ask(base, "can I pay coding plan with gift vouchers")
                if body.get("confident") and "vouchers.txt" in body["answers"][0]["source"]["document"]:
                    break
                time.sleep(0.2)
            else:
                raise AssertionError("the rebuilt knowledge base was not picked up")
            (sources_copy / "broken.txt").write_bytes(b"\x00\x01binary")
            build(sources_copy, tmp_path / "elsewhere.sqlite")  # a failed or other build does not disturb this one
        finally:
            stop.set()
            for t in threads:
                t.join(10)
        assert get(base + "/health")[1]["documents"] == 6
    assert answered > 20 and failures == []


def test_serve_without_a_knowledge_base_exits_with_a_message(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "kb", "serve", "--db", str(tmp_path / "missing.sqlite")],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "no knowledge base at" in proc.stderr and "kb build" in proc.stderr and "Traceback" not in proc.stderr


def test_serve_with_a_corrupt_knowledge_base_exits_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "kb.sqlite"
    bad.write_bytes(b"garbage" * 1000)
    proc = subprocess.run([sys.executable, "-m", "kb", "serve", "--db", str(bad)], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 2 and "cannot be read" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_several_workers_serve_the_same_read_only_base(built_db: Path) -> None:
    with serving(built_db, "--workers", "2") as server:
        statuses = {ask(server.base, f"hour allocated quota exceeded {i}")[0] for i in range(30)}
        assert statuses == {200}
        log = server.stop()
    assert log.count("Started server process") >= 2 or "Started parent process" in log

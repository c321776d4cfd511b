from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from app.main import _answer, create_app
from kb.settings import Settings


@pytest.fixture(scope="module")
def client(built_db: Path) -> Iterator[TestClient]:
    with TestClient(app=create_app(Settings(db=built_db))) as c:
        yield c


def test_get_answer_has_the_contract_shape(client: TestClient) -> None:
    r = client.get("/api/answer", params={"q": "hour allocated quota exceeded", "product": "coding-plan"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert set(body) >= {"query", "product", "confident", "answers"}
    assert body["confident"] is True and body["product"] == "coding-plan" and len(body["answers"]) == 3
    top = body["answers"][0]
    assert set(top) >= {"id", "kind", "question", "answer", "score", "product", "source"}
    src = top["source"]
    assert set(src) == {"document", "title", "section", "updated", "line_start", "line_end", "url"}
    assert src["url"] == f"/docs/{src['document']}#L{src['line_start']}-L{src['line_end']}"
    assert top["kind"] == "error" and "Wait 5 hours" in top["answer"]


def test_post_answer_matches_get(client: TestClient) -> None:
    q = {"q": "Can I get a refund?", "product": "token-plan", "limit": 2}
    post = client.post("/api/answer", json=q)
    get = client.get("/api/answer", params=q)
    assert post.status_code == 200 and post.json() == get.json()
    assert len(post.json()["answers"]) == 2


def test_plain_text_answer_for_terminals(client: TestClient) -> None:
    r = client.get("/api/answer", params={"q": "conection eror"}, headers={"Accept": "text/plain"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert "Connection error" in r.text and "lines" in r.text and "Source:" in r.text


def test_a_citation_of_one_line_names_that_line(client: TestClient) -> None:
    # a table row is one line: "line 56", not "lines 56-56"
    r = client.get("/api/answer", params={"q": "Coding Plan is currently only available for Coding Agents"},
                   headers={"Accept": "text/plain"})
    source = r.text.split("Source:", 1)[1].splitlines()[0]
    assert "coding-plan-vs-standard-key.md line 56 " in source


def test_no_cache_works_the_answer_out_again_and_gives_the_same_one(client: TestClient) -> None:
    kb = client.app.state.live.current
    params = {"q": "why did my february subscription end early"}  # undecided by words: read by meaning
    cached = client.get("/api/answer", params=params).json()
    answers, vectors = kb._answer.cache_info(), kb.matcher.encode.cache_info()
    fresh = client.get("/api/answer", params=params, headers={"Cache-Control": "no-cache"})
    assert fresh.status_code == 200 and fresh.json() == cached
    assert kb._answer.cache_info() == answers and kb.matcher.encode.cache_info() == vectors  # not looked up, not stored


async def test_an_answer_is_worked_out_after_the_loop_has_read_what_arrived(client: TestClient) -> None:
    """The loop reads sockets only between its passes over ready tasks: a request answered without a
    pause keeps one that arrived meanwhile waiting for a whole further pass."""
    order: list[str] = []
    asyncio.get_running_loop().call_soon(order.append, "loop's turn")
    payload = await _answer(client.app.state, "hour allocated quota exceeded", None, 3)
    order.append("answered")
    assert order == ["loop's turn", "answered"] and payload["confident"]


def test_health_counts_documents_and_entries(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] == 5 and body["entries"] > 100 and body["built_at"]


def test_schema_documents_the_answer_model(client: TestClient) -> None:
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    schemas = r.json()["components"]["schemas"]
    assert {"AnswerResponse", "Answer", "Source"} <= set(schemas)
    assert "confident" in schemas["AnswerResponse"]["properties"]


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({}, 400, "q"),
        ({"q": ""}, 400, "empty query"),
        ({"q": "\n"}, 400, "empty query"),
        ({"q": "   \t "}, 400, "empty query"),
        ({"q": "\x1c\x1f"}, 400, "empty query"),  # white space to Python, not to the schema's \\s
        ({"q": "\ufeff "}, 400, "empty query"),  # white space to the schema's \\s, not to Python
        ({"q": "x" * 10_001}, 413, "query too long: 10001 characters, the limit is 10000"),
        ({"q": "a\x00b"}, 400, "NUL"),
        ({"q": "x", "limit": "0"}, 400, "limit"),
        ({"q": "x", "limit": "-1"}, 400, "limit"),
        ({"q": "x", "limit": "1000"}, 400, "limit"),
        ({"q": "x", "limit": "abc"}, 400, "limit"),
        ({"q": "x", "product": "pro-plan"}, 400, "product"),
    ],
)
def test_bad_input_gets_400_naming_the_problem(client: TestClient, params: dict, status: int, detail: str) -> None:
    r = client.get("/api/answer", params=params)
    assert r.status_code == status
    assert detail in r.json()["detail"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b"{not json", "malformed"),
        (b'{"q": 42}', "q"),
        (b'{"q": "x", "limit": "three"}', "limit"),
        (b'{"product": "coding-plan"}', "q"),
        (b"[1, 2]", "Expected"),
    ],
)
def test_bad_json_bodies_get_400(client: TestClient, body: bytes, detail: str) -> None:
    r = client.post("/api/answer", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert detail.lower() in r.json()["detail"].lower()


def test_a_very_large_body_is_refused(client: TestClient) -> None:
    r = client.post("/api/answer", content=b'{"q": "' + b"a" * 200_000 + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_a_long_body_ending_in_nul_is_refused_by_the_query_check(client: TestClient) -> None:
    # the check on `q` runs before the length limit, on up to 64 KiB: it must not backtrack
    r = client.post("/api/answer", json={"q": "a" * 60_000 + "\x00"})
    assert r.status_code == 400 and "NUL" in r.json()["detail"]


def test_a_long_stack_trace_under_the_limit_still_answers(client: TestClient) -> None:
    frames = "".join(f'  File "/app/mod{i}.py", line {i}, in call\n    do_it()\n' for i in range(120))
    trace = ("Traceback (most recent call last):\n" + frames +
             "openai.RateLimitError: Error code: 429 - {'error': {'message': 'week allocated quota exceeded'}}")
    assert len(trace) < 10_000
    r = client.post("/api/answer", json={"q": trace})
    assert r.status_code == 200 and "Monday" in r.json()["answers"][0]["answer"]


@pytest.mark.parametrize("q", ["😀 quota exceeded 🚀", "额度用完了怎么办", "מה קורה כשהמכסה נגמרת", "\u202eevil\u202c"])
def test_any_script_gets_an_answer_not_an_error(client: TestClient, q: str) -> None:
    r = client.get("/api/answer", params={"q": q})
    assert r.status_code == 200 and isinstance(r.json()["answers"], list)


def test_invalid_utf8_and_percent_encoding_do_not_break_the_api(client: TestClient) -> None:
    assert client.get("/api/answer?q=%FF%FE%FD").status_code in (200, 400)
    assert client.get("/api/answer?q=%E0%A4%A").status_code in (200, 400)
    assert client.get("/api/answer?q=100%25%zz").status_code in (200, 400)


@pytest.mark.parametrize("path", ["/docs/..%2f..%2fetc%2fpasswd", "/docs/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "/docs/../pyproject.toml", "/docs//etc/passwd", "/docs/nope.txt", "/nowhere"])
def test_unknown_documents_and_traversal_get_404(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 404


def test_document_page_numbers_every_line(client: TestClient) -> None:
    r = client.get("/docs/coding-plan-faq.txt")
    assert r.status_code == 200 and 'id="L27"' in r.text and "401 invalid access token" in r.text


def test_secrets_never_appear_in_responses_pages_or_logs(client: TestClient, caplog) -> None:
    key = "sk-sp-4f6d1e2c9b8a7f6e5d4c"
    with caplog.at_level(logging.DEBUG):
        api = client.get("/api/answer", params={"q": f"401 invalid access token with {key}"})
        text = client.get("/api/answer", params={"q": f"my key {key}"}, headers={"Accept": "text/plain"})
        page = client.get("/", params={"q": f"invalid key {key}"})
        bad = client.get("/api/answer", params={"q": f"{key}", "product": key})
    # the service's own log lines (the test client's httpx logs its own requests, which is not the service)
    service_log = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "markdown_it")))
    for body in (api.text, text.text, page.text, bad.text, service_log):
        assert "4f6d1e2c9b8a7f6e5d4c" not in body
    assert "sk-sp-****" in api.json()["query"]
    assert "sk-sp-****" in service_log


def test_page_renders_on_the_server_with_citation(client: TestClient) -> None:
    r = client.get("/", params={"q": "Can I get a refund?", "product": "token-plan"})
    assert r.status_code == 200
    assert "does not support refunds" in r.text and "/docs/token-plan-faq.txt#L" in r.text


def test_page_escapes_what_was_typed(client: TestClient) -> None:
    r = client.get("/", params={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text


def test_missing_knowledge_base_gives_503_with_the_reason(tmp_path: Path) -> None:
    with TestClient(app=create_app(Settings(db=tmp_path / "none.sqlite"))) as c:
        r = c.get("/health")
        assert r.status_code == 503 and "kb build" in r.json()["detail"]
        assert c.get("/api/answer", params={"q": "x"}).status_code == 503


def test_corrupt_knowledge_base_gives_503(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with TestClient(app=create_app(Settings(db=bad))) as c:
        r = c.get("/health")
        assert r.status_code == 503 and "cannot be read" in r.json()["detail"]

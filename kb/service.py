"""The knowledge base as the API, the page and `kb ask` use it: loaded once, answers as data."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import numpy as np

from kb import dense
from kb.match import EntryView, Match, Matcher, Result
from kb.products import BY_SLUG, edition_of_text
from kb.query import CleanQuery, clean_query
from kb.records import line_span

log = logging.getLogger("kb")
LIMIT_MAX = 20
CACHE_SIZE = 4096  # answers kept per snapshot: support bots send the same errors again and again
CACHE_QUERY_CHARS = 2000


class KnowledgeBaseError(RuntimeError):
    """The knowledge base file is missing, empty or not one this program built."""


class BadQuery(ValueError):
    """A query that cannot be answered as asked; the message says what is wrong."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class DocumentView:
    name: str
    title: str
    product: str | None
    updated: dt.date | None
    format: str
    source_url: str | None
    content: str


class KnowledgeBase:
    """An immutable snapshot of one built file: documents, entries and the matcher over them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        docs, rows, info = read(path)
        self.documents: dict[str, DocumentView] = {}
        by_id: dict[int, DocumentView] = {}
        for doc_id, name, title, product, updated, fmt, url, content in docs:
            view = DocumentView(name, title, product, dt.date.fromisoformat(updated) if updated else None, fmt, url, content)
            self.documents[name] = view
            by_id[doc_id] = view
        editions = {doc_id: edition_of_text(view.content, view.product) for doc_id, view in by_id.items()}
        self.entries = [
            EntryView(
                id=r[0], kind=r[1], question=r[2], answer=r[3], product=r[4], section=r[5],
                line_start=r[6], line_end=r[7], document=by_id[r[8]].name, title=by_id[r[8]].title,
                updated=by_id[r[8]].updated, cause=r[9], solution=r[10], edition=editions[r[8]], shared=bool(r[12]),
            )
            for r in rows
        ]
        self.built_at = info.get("built_at")
        self.matcher = Matcher(self.entries, **_meaning(path, info.get("encoder"), [r[11] for r in rows]))
        # caches per snapshot, so a rebuilt base never serves an answer from the old one: one keyed on
        # the query as sent, and one on the cleaned query, so an error pasted again with a new
        # request id or time skips matching too. Both hold the result with its JSON, built once.
        self._answer = lru_cache(maxsize=CACHE_SIZE)(self._clean_and_rank)
        self._rank = lru_cache(maxsize=CACHE_SIZE)(self._rank_and_render)

    def answer(self, q: object, product: object = None, limit: object = 3, max_query: int = 10_000,
               fresh: bool = False) -> Result:
        return self._lookup(q, product, limit, max_query, fresh)[0]

    def respond(self, q: object, product: object = None, limit: object = 3, max_query: int = 10_000,
                fresh: bool = False) -> dict:
        """The answer as the API's JSON (`to_json`). The dict may be shared with other callers: read it only.

        `fresh` (a request's `Cache-Control: no-cache`) answers as if the query had never been seen:
        from neither answer cache nor the cache of query vectors, and without storing the answer."""
        return self._lookup(q, product, limit, max_query, fresh)[1]

    def _lookup(self, q: object, product: object, limit: object, max_query: int, fresh: bool) -> tuple[Result, dict]:
        query, product, limit = validate(q, product, limit, max_query)
        if fresh or len(query) > CACHE_QUERY_CHARS:  # a long paste is seldom sent twice as is: not worth its memory
            return self._clean_and_rank(query, product, limit, fresh)
        return self._answer(query, product, limit)

    def _clean_and_rank(self, query: str, product: str | None, limit: int, fresh: bool = False) -> tuple[Result, dict]:
        cleaned = clean_query(query)
        result, payload = self._rank_and_render(cleaned, product, limit, fresh) if fresh else self._rank(cleaned, product, limit)
        if result.query.original == cleaned.original:
            return result, payload
        return replace(result, query=cleaned), {**payload, "query": cleaned.original}

    def _rank_and_render(self, cleaned: CleanQuery, product: str | None, limit: int,
                         fresh: bool = False) -> tuple[Result, dict]:
        result = self.matcher.rank(cleaned, product, limit, fresh)
        return result, to_json(result)


def read(path: Path) -> tuple[list[tuple], list[tuple], dict[str, str]]:
    """The documents, entries and build facts of a built file, or a KnowledgeBaseError saying what is
    wrong. Cheap next to a snapshot (no index, no encoder): `kb serve` checks the file with it before
    it starts workers, each of which loads its own snapshot."""
    if not path.exists():
        raise KnowledgeBaseError(f"no knowledge base at {path}: run `kb build` first")
    if not path.is_file() or path.stat().st_size == 0:
        raise KnowledgeBaseError(f"the knowledge base {path} is empty: run `kb build` again")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            docs = conn.execute(
                "SELECT id, name, title, product, updated, format, source_url, content FROM document"
            ).fetchall()
            # a base built before entries had vectors (migration 0002) is still answered, by words alone
            columns = {c[1] for c in conn.execute("PRAGMA table_info(entry)")}
            # and one built before the comparisons' rows were marked (migration 0003) has none of them
            rows = conn.execute(
                "SELECT entry.id, kind, question, answer, entry.product, section, line_start, line_end,"
                f" document_id, cause, solution, {'vector' if 'vector' in columns else 'NULL'},"
                f" {'shared' if 'shared' in columns else '0'} FROM entry"
                " ORDER BY document_id, position"
            ).fetchall()
            info = dict(conn.execute("SELECT key, value FROM buildinfo").fetchall())
    except sqlite3.DatabaseError as err:
        raise KnowledgeBaseError(f"the knowledge base {path} cannot be read ({err}): run `kb build` again") from None
    if not rows:
        raise KnowledgeBaseError(f"the knowledge base {path} holds no entries: run `kb build` again")
    return docs, rows, info


def _meaning(path: Path, built_with: str | None, blobs: list[bytes | None]) -> dict:
    """The entries' sentence vectors and the encoder for queries, when the base has them and this
    process can read queries with the model that made them; else nothing, and matching is by words."""
    if built_with is None:
        return {}
    encoder = dense.encoder()
    if encoder is None or encoder.name != built_with:
        log.warning("%s was built with %s, which this process cannot run: matching by words alone", path, built_with)
        return {}
    vectors = [dense.from_blob(b) for b in blobs]
    if any(v is None for v in vectors):
        log.warning("%s has entries without sentence vectors: matching by words alone", path)
        return {}
    return {"vectors": np.stack(vectors), "encode": encoder.encode}


def validate(q: object, product: object, limit: object, max_query: int) -> tuple[str, str | None, int]:
    if q is None:
        raise BadQuery("missing query: give the question or error text as `q`")
    if not isinstance(q, str):
        raise BadQuery(f"`q` must be a string, not {type(q).__name__}")
    if not q.strip():
        raise BadQuery("empty query: `q` holds no text")
    if len(q) > max_query:
        raise BadQuery(f"query too long: {len(q)} characters, the limit is {max_query}", status=413)
    if "\x00" in q:
        raise BadQuery("query contains a NUL character")
    if product in ("", None):
        product = None
    elif not isinstance(product, str) or product.strip().lower() not in BY_SLUG:
        raise BadQuery(f"unknown product {product!r}: use one of {', '.join(BY_SLUG)}")
    else:
        product = product.strip().lower()
    if limit in ("", None):
        limit = 3
    if isinstance(limit, bool):
        raise BadQuery(f"`limit` must be a whole number from 1 to {LIMIT_MAX}, not {limit!r}")
    if isinstance(limit, str):
        try:
            limit = int(limit.strip())
        except ValueError:
            raise BadQuery(f"`limit` must be a whole number from 1 to {LIMIT_MAX}, not {limit!r}") from None
    if not isinstance(limit, int) or not 1 <= limit <= LIMIT_MAX:
        raise BadQuery(f"`limit` must be a whole number from 1 to {LIMIT_MAX}, not {limit!r}")
    return q, product, limit


def citation_url(document: str, start: int, end: int) -> str:
    return f"/docs/{quote(document)}#L{start}-L{end}"


def source_of(entry: EntryView) -> dict:
    return {
        "document": entry.document,
        "title": entry.title,
        "section": entry.section,
        "updated": entry.updated.isoformat() if entry.updated else None,
        "line_start": entry.line_start,
        "line_end": entry.line_end,
        "url": citation_url(entry.document, entry.line_start, entry.line_end),
    }


def to_json(result: Result) -> dict:
    """The API's answer shape (see CONTRACT in the README)."""
    answers = []
    for m in result.matches:
        e = m.entry
        item = {
            "id": e.id,
            "kind": e.kind,
            "question": e.question,
            "answer": e.answer,
            "score": m.score,
            "product": e.product,
            "source": source_of(e),
        }
        if e.kind == "error":
            item["cause"], item["solution"] = e.cause, e.solution
        answers.append(item)
    return {
        "query": result.query.original,
        "product": result.product,
        "product_inferred": result.product is not None and not result.product_given,
        "confident": result.confident,
        "answers": answers,
        "notes": [reason for _, reason in result.conflicts] + [_product_note(result, m) for m in result.other_products],
        "conflicts": [{"id": e.id, "question": e.question, "reason": reason, "source": source_of(e)}
                      for e, reason in result.conflicts],
        "other_products": [{"product": m.entry.product, "id": m.entry.id, "question": m.entry.question,
                            "source": source_of(m.entry)} for m in result.other_products],
    }


def _product_note(result: Result, other: Match) -> str:
    top, e = result.matches[0].entry, other.entry
    name, mine = BY_SLUG[e.product].name, BY_SLUG[top.product].name  # type: ignore[index]
    return f"this is {mine}'s answer; {name} answers it otherwise ({e.document}, {line_span(e.line_start, e.line_end)}): ask with product={e.product} for {name}'s"


class Live:
    """The knowledge base a server answers from, swapped for the rebuilt one when the file changes.

    Readers always hold a complete snapshot: a rebuild replaces the file atomically, and the new
    snapshot is loaded before the reference moves, so no request sees a half-built base.
    """

    def __init__(self, path: Path, check_every: float = 1.0) -> None:
        self.path = path
        self.check_every = check_every
        self._lock = threading.Lock()
        self._checked = 0.0
        self._stamp = self._stat()
        self.error: str | None = None
        self.current: KnowledgeBase | None = None
        try:
            self.current = KnowledgeBase(path)
        except KnowledgeBaseError as err:
            self.error = str(err)

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def get(self) -> KnowledgeBase | None:
        now = time.monotonic()
        if now - self._checked >= self.check_every and self._lock.acquire(blocking=False):
            try:
                self._checked = now
                stamp = self._stat()
                if stamp != self._stamp:
                    self._stamp = stamp
                    try:
                        fresh = KnowledgeBase(self.path)
                    except KnowledgeBaseError as err:
                        log.warning("kept the previous knowledge base: %s", err)
                        if self.current is None:
                            self.error = str(err)
                    else:
                        self.current, self.error = fresh, None
                        log.info("loaded the rebuilt knowledge base %s (%d entries)", self.path, len(fresh.entries))
            finally:
                self._lock.release()
        return self.current

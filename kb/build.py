"""Sources -> records -> a new SQLite file -> atomic swap, and the report of what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from kb import dense
from kb.models import BuildInfo, Document, Entry
from kb.parse import DocumentError, decoded, is_source, parse_file
from kb.records import ParsedDocument, Record
from kb.settings import ROOT

MIGRATIONS = ROOT / "migrations"


class BuildError(RuntimeError):
    """The build cannot go on; the previous knowledge base is left as it was."""


@dataclass
class DocumentReport:
    name: str
    title: str | None = None
    product: str | None = None
    updated: dt.date | None = None
    kinds: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    leftovers: list[tuple[int, str]] = field(default_factory=list)
    skipped: bool = False

    @property
    def entries(self) -> int:
        return sum(self.kinds.values())


@dataclass
class BuildReport:
    db: Path
    documents: list[DocumentReport]
    added: list[str]
    changed: list[str]
    removed: list[str]
    lost: dict[str, tuple[int, int]]  # document -> (entries before, entries now)
    written: bool
    encoder: str | None = None  # the model of the entries' sentence vectors; None: lexical matching only

    @property
    def entries(self) -> int:
        return sum(d.entries for d in self.documents)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _hash(*parts: str | None) -> str:
    return hashlib.sha256("\x1f".join(p or "" for p in parts).encode()).hexdigest()


def entry_ids(doc_name: str, records: list[Record]) -> list[str]:
    """Stable ids: the same document, kind and question give the same id in every build."""
    seen: dict[str, int] = {}
    ids = []
    for rec in records:
        key = f"{doc_name}\x1f{rec.kind}\x1f{_normal(rec.question)}"
        seen[key] = seen.get(key, 0) + 1
        ids.append(_hash(key, str(seen[key]))[:16])
    return ids


def migrate(db: Path) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    command.upgrade(cfg, "head")


def previous_entries(db: Path) -> dict[str, tuple[str, str]]:
    """id -> (content hash, document) of the knowledge base in place, or {} if there is none."""
    if not db.is_file():
        return {}
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT entry.id, entry.content_hash, document.name FROM entry JOIN document ON document.id = entry.document_id"
            ).fetchall()
    except sqlite3.Error:
        return {}
    return {row[0]: (row[1], row[2]) for row in rows}


def _read(sources: Path) -> tuple[list[tuple[ParsedDocument, str]], list[DocumentReport]]:
    if not sources.exists():
        raise BuildError(f"sources folder not found: {sources}")
    if not sources.is_dir():
        raise BuildError(f"sources path is not a folder: {sources}")
    files = sorted(p for p in sources.iterdir() if is_source(p))
    if not files:
        raise BuildError(f"no documents (.txt, .md, .html) in {sources}")
    parsed, reports = [], []
    for path in files:
        report = DocumentReport(name=path.name)
        reports.append(report)
        try:
            doc = parse_file(path)
        except DocumentError as err:
            report.warnings.append(f"skipped: {err}")
            report.skipped = True
            continue
        except OSError as err:
            report.warnings.append(f"skipped: {path.name}: cannot be read ({err.strerror})")
            report.skipped = True
            continue
        report.title, report.product, report.updated = doc.title, doc.product, doc.updated
        report.warnings += doc.warnings
        report.leftovers = doc.leftovers
        for rec in doc.records:
            report.kinds[rec.kind] = report.kinds.get(rec.kind, 0) + 1
        if not doc.records:
            report.skipped = True
            continue
        parsed.append((doc, decoded(path)))
    if not parsed:
        raise BuildError(f"no entries found in any document of {sources}")
    return parsed, reports


def _write(db: Path, parsed: list[tuple[ParsedDocument, str]], encoder: dense.Encoder | None) -> dict[str, tuple[str, str]]:
    migrate(db)
    engine = create_engine(f"sqlite:///{db}")
    written: dict[str, tuple[str, str]] = {}
    try:
        with Session(engine) as session:
            for doc, content in parsed:
                row = Document(
                    name=doc.name, title=doc.title or doc.name, product=doc.product, updated=doc.updated,
                    format=doc.format, source_url=doc.source_url, content_hash=_hash(content),
                    content=content, line_count=len(content.splitlines()),
                )
                session.add(row)
                session.flush()
                for position, (entry_id, rec) in enumerate(zip(entry_ids(doc.name, doc.records), doc.records)):
                    product = None if rec.shared else doc.product
                    digest = _hash(rec.question, rec.answer, rec.section, product, str(rec.line_start), str(rec.line_end))
                    session.add(Entry(
                        id=entry_id, document_id=row.id, position=position, kind=rec.kind,
                        question=rec.question, answer=rec.answer, cause=rec.cause, solution=rec.solution,
                        product=product, section=rec.section, line_start=rec.line_start,
                        line_end=rec.line_end, content_hash=digest, shared=rec.shared,
                        vector=dense.to_blob(encoder.encode_text(dense.entry_text(rec.question, rec.answer)))
                        if encoder else None,
                    ))
                    written[entry_id] = (digest, doc.name)
            session.add(BuildInfo(key="built_at", value=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
            if encoder:  # which model made the vectors: a query must be read by the same one
                session.add(BuildInfo(key="encoder", value=encoder.name))
            session.commit()
    finally:
        engine.dispose()
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BuildError(f"the new knowledge base failed SQLite's integrity check: {db}")
    return written


def build(sources: Path, db: Path, *, check: bool = False, strict: bool = False) -> BuildReport:
    """Build the knowledge base from `sources` into `db`, replacing it only when all went well.

    Documents that cannot be read, or in which nothing is recognised, are skipped with a warning
    (with `strict`, they fail the build). With `check`, nothing is written: the report says what a
    build would change.
    """
    parsed, reports = _read(sources)
    if strict and (bad := [r for r in reports if r.skipped]):
        raise BuildError("; ".join(w if w.startswith(f"{r.name}:") or w.startswith(f"skipped: {r.name}:") else f"{r.name}: {w}"
                                   for r in bad for w in r.warnings) or f"{bad[0].name}: no entries")
    old = previous_entries(db)
    encoder = dense.encoder()
    parent = db.parent
    if not check:
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise BuildError(f"cannot create the folder for the knowledge base {parent}: {err.strerror}") from None
        if not os.access(parent, os.W_OK):
            raise BuildError(f"cannot write the knowledge base: folder {parent} is not writable")
        if db.exists() and not db.is_file():
            raise BuildError(f"cannot write the knowledge base: {db} is not a file")
    tmp_dir = parent if not check else Path(os.environ.get("TMPDIR", "/tmp"))
    tmp = tmp_dir / f".{db.name}.{os.getpid()}.building"
    try:
        tmp.unlink(missing_ok=True)
        new = _write(tmp, parsed, encoder)
        if not check:
            os.replace(tmp, db)  # atomic on one file system: readers see the old or the new file
    except OSError as err:
        raise BuildError(f"cannot write the knowledge base {db}: {err.strerror or err}") from None
    except (sqlite3.Error, SQLAlchemyError) as err:
        cause = getattr(err, "orig", None) or err
        raise BuildError(f"cannot write the knowledge base {db} (temporary file {tmp}): {cause}") from None
    finally:
        tmp.unlink(missing_ok=True)
    before: dict[str, int] = {}
    for _, name in old.values():
        before[name] = before.get(name, 0) + 1
    now = {r.name: r.entries for r in reports}
    return BuildReport(
        db=db,
        documents=reports,
        added=sorted(set(new) - set(old)),
        changed=sorted(i for i in new if i in old and old[i][0] != new[i][0]),
        removed=sorted(set(old) - set(new)),
        lost={name: (n, now.get(name, 0)) for name, n in before.items() if now.get(name, 0) < n},
        written=not check,
        encoder=encoder.name if encoder else None,
    )


def format_report(report: BuildReport) -> str:
    lines = []
    for doc in report.documents:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(doc.kinds.items())) or "no entries"
        date = doc.updated.isoformat() if doc.updated else "no date"
        lines.append(f"{doc.name}")
        if doc.title is not None:
            lines.append(f"  {doc.title} | {doc.product or 'no product'} | {date} | {doc.entries} entries ({kinds})")
        for warning in doc.warnings:
            lines.append(f"  warning: {warning}")
        if doc.leftovers:
            lines.append(f"  {len(doc.leftovers)} text block(s) in no entry:")
            lines += [f"    line {line}: {text}" for line, text in doc.leftovers[:5]]
    used = [d for d in report.documents if not d.skipped]
    lines.append(
        f"total: {len(used)} document(s), {report.entries} entries"
        + (f", {len(report.documents) - len(used)} skipped" if len(used) < len(report.documents) else "")
    )
    if report.unchanged:
        lines.append("no change against the previous build")
    else:
        lines.append(f"added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}")
    for name, (was, now) in sorted(report.lost.items()):
        lines.append(f"  {name}: {was} -> {now} entries")
    lines.append(f"sentence vectors: {report.encoder or 'none, the sentence encoder could not run (see the warning above)'}")
    lines.append(f"{'wrote' if report.written else 'dry run, nothing written to'} {report.db}")
    return "\n".join(lines)

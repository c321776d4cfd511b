from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from kb.build import BuildError, build, format_report
from kb.cli import main
from kb.service import KnowledgeBase
from tests.conftest import SOURCES


def entry_rows(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, question, content_hash FROM entry ORDER BY id").fetchall()


def test_build_reports_every_document_and_the_totals(tmp_path: Path) -> None:
    report = build(SOURCES, tmp_path / "kb.sqlite")
    text = format_report(report)
    assert report.entries == sum(d.entries for d in report.documents) > 100
    assert len(report.added) == report.entries and not report.changed and not report.removed
    for name in ("coding-plan-faq.txt", "token-plan-faq.txt", "coding-plan-vs-standard-key.md"):
        assert name in text
    assert "Alibaba Cloud Model Studio:FAQ | coding-plan | 2026-03-05 | 38 entries (9 error, 29 faq)" in text


def test_a_comparisons_rows_are_stored_under_no_product_and_marked_as_such(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    build(SOURCES, db)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT question, product FROM entry WHERE shared").fetchall()
        assert conn.execute("SELECT count(*) FROM entry WHERE product IS NULL AND NOT shared").fetchone() == (0,)
    assert len(rows) == 7 and ("Data security", None) in rows and {p for _, p in rows} == {None}
    assert {e.question for e in KnowledgeBase(db).entries if e.shared} == {q for q, _ in rows}
    # a base built before the rows were marked (migration 0003) is still served, with none marked
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE entry DROP COLUMN shared")
    assert not any(e.shared for e in KnowledgeBase(db).entries)


def test_rebuilding_unchanged_sources_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    build(SOURCES, db)
    first = entry_rows(db)
    report = build(SOURCES, db)
    assert report.unchanged and "no change against the previous build" in format_report(report)
    assert entry_rows(db) == first


def test_ids_survive_a_rebuild_and_an_edit_is_reported_as_changed(sources_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    build(sources_copy, db)
    before = {row[1]: row[0] for row in entry_rows(db)}
    faq = sources_copy / "coding-plan-faq.txt"
    faq.write_text(faq.read_text().replace("Annual plans are currently not available.",
                                           "Annual plans are available from June."), encoding="utf-8")
    (sources_copy / "coding-plan-overview.txt").unlink()
    report = build(sources_copy, db)
    after = {row[1]: row[0] for row in entry_rows(db)}
    assert after["Does Coding Plan have an annual plan?"] == before["Does Coding Plan have an annual plan?"]
    assert len(report.changed) == 1 and len(report.removed) == 23 and not report.added
    assert report.lost == {"coding-plan-overview.txt": (23, 0)}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: the file is empty"),
        ("blank.md", b"  \n\n ", "blank.md: the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: a binary file"),
        ("latin1.txt", "Caf\u00e9 FAQ\n\nWhat is it?\n\nA caf\u00e9.\n".encode("latin-1"), "latin1.txt: not UTF-8"),
        ("nothing.txt", b"Hello\n\nWorld\n", "no entries found"),
    ],
)
def test_a_bad_document_is_skipped_with_a_warning_naming_it(sources_copy: Path, tmp_path: Path, name: str,
                                                            content: bytes, message: str) -> None:
    (sources_copy / name).write_bytes(content)
    report = build(sources_copy, tmp_path / "kb.sqlite")
    bad = next(d for d in report.documents if d.name == name)
    assert bad.skipped and any(message in w for w in bad.warnings)
    assert message in format_report(report)
    assert report.entries >= 135


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # Notepad's "Unicode" (UTF-16 with its byte order mark), and a page saved in the charset it declares
        ("notes.txt", "\ufeffCafé FAQ\n\nCan I pay in euros?\n\nYes, at the café rate.\n".encode("utf-16-le")),
        ("page.html", '<html><head><meta charset="gbk"><title>Café FAQ</title></head><body><h2>Can I pay in euros?</h2>'
                      "<p>Yes, at the café rate. 可以。</p></body></html>".encode("gbk")),
        ("page.htm", '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
                     "<title>Café FAQ</title></head><body><h2>Can I pay in euros?</h2>"
                     "<p>Yes, at the café rate.</p></body></html>".encode("cp1252")),
    ],
)
def test_a_document_in_another_encoding_it_declares_is_read(sources_copy: Path, tmp_path: Path, name: str,
                                                           content: bytes) -> None:
    (sources_copy / name).write_bytes(content)
    db = tmp_path / "kb.sqlite"
    report = build(sources_copy, db)
    read = next(d for d in report.documents if d.name == name)
    assert not read.skipped and not read.warnings
    kb = KnowledgeBase(db)
    top = kb.answer("can I pay in euros").matches[0].entry
    assert top.document == name and top.answer.startswith("Yes, at the café rate.")
    assert "café rate" in kb.documents[name].content


def test_an_html_page_not_in_utf8_nor_declaring_its_charset_is_skipped(sources_copy: Path, tmp_path: Path) -> None:
    (sources_copy / "page.html").write_bytes("<html><body><h2>Can I pay?</h2><p>Yes, café.</p></body></html>".encode("latin-1"))
    report = build(sources_copy, tmp_path / "kb.sqlite")
    bad = next(d for d in report.documents if d.name == "page.html")
    assert bad.skipped and any("page.html: not UTF-8 text" in w and "save it as UTF-8" in w for w in bad.warnings)


def test_strict_build_fails_on_a_bad_document_and_keeps_the_old_base(sources_copy: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    build(sources_copy, db)
    before = entry_rows(db)
    (sources_copy / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BuildError, match="broken.txt"):
        build(sources_copy, db, strict=True)
    assert entry_rows(db) == before


def test_missing_sources_fail_with_a_clear_message_and_keep_the_old_base(tmp_path: Path, capsys) -> None:
    db = tmp_path / "kb.sqlite"
    build(SOURCES, db)
    before = db.read_bytes()
    assert main(["build", "--sources", str(tmp_path / "nowhere"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "sources folder not found" in err and "nowhere" in err and "unchanged" in err
    assert db.read_bytes() == before


def test_an_empty_sources_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    with pytest.raises(BuildError, match="no documents"):
        build(tmp_path / "src", tmp_path / "kb.sqlite")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere; the check below needs an ordinary user")
def test_an_unwritable_database_folder_fails_cleanly(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(BuildError, match="not writable"):
            build(SOURCES, locked / "kb.sqlite")
    finally:
        locked.chmod(0o700)


def test_a_database_path_that_cannot_be_written_fails_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(BuildError, match="cannot create the folder"):
        build(SOURCES, blocker / "kb.sqlite")
    folder = tmp_path / "a-folder.sqlite"
    folder.mkdir()
    with pytest.raises(BuildError, match="is not a file"):
        build(SOURCES, folder)


def test_check_writes_nothing_and_gates_a_large_loss(sources_copy: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "kb.sqlite"
    build(sources_copy, db)
    before = db.read_bytes()
    faq = sources_copy / "coding-plan-faq.txt"
    faq.write_text("\n".join(faq.read_text().splitlines()[:120]), encoding="utf-8")
    assert main(["build", "--check", "--sources", str(sources_copy), "--db", str(db)]) == 3
    out = capsys.readouterr()
    assert "dry run" in out.out and "coding-plan-faq.txt lost" in out.err
    assert db.read_bytes() == before
    assert main(["build", "--check", "--sources", str(SOURCES), "--db", str(db)]) == 0


def test_a_database_on_a_read_only_file_system_fails_cleanly() -> None:
    with pytest.raises(BuildError, match=r"/proc/kb\.sqlite|/proc"):
        build(SOURCES, Path("/proc/kb.sqlite"))

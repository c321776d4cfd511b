"""`kb build | ask | serve`: the maintainers' and terminal users' way in."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from kb.records import line_span
from kb.settings import LOG_FORMAT, Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings()
    except SettingsError as err:
        sys.exit(f"kb: {err}")


def cmd_build(args: argparse.Namespace) -> int:
    from kb.build import BuildError, build, format_report  # parsers and migrations: only a build needs them

    settings = _settings()
    sources = Path(args.sources) if args.sources else settings.sources
    db = Path(args.db) if args.db else settings.db
    try:
        report = build(sources, db, check=args.check, strict=args.strict)
    except BuildError as err:
        print(f"kb build: failed: {err}", file=sys.stderr)
        print(f"kb build: the previous knowledge base at {db} is unchanged", file=sys.stderr)
        return 1
    print(format_report(report))
    if args.check:
        shrunk = {name: (was, now) for name, (was, now) in report.lost.items() if was and (was - now) / was > args.max_loss}
        if shrunk:
            for name, (was, now) in shrunk.items():
                print(f"kb build --check: {name} lost {was - now} of {was} entries "
                      f"(more than {args.max_loss:.0%})", file=sys.stderr)
            return 3
    return 0


def render_text(payload: dict) -> str:
    """The answer as a terminal shows it: the best entry in full, then the other candidates."""
    lines = []
    product = f" [{payload['product']}]" if payload.get("product") else ""
    if not payload["answers"]:
        return f"No documented answer fits{product}.\n"
    if not payload["confident"]:
        lines.append(f"No documented answer fits well{product}. Nearest entries:")
    for rank, ans in enumerate(payload["answers"]):
        src = ans["source"]
        where = f"{src['document']} {line_span(src['line_start'], src['line_end'])}"
        if rank == 0 and payload["confident"]:
            lines.append(f"{ans['question']}{product}")
            lines.append("")
            lines.append(ans["answer"])
            lines.append("")
            lines.append(f"Source: {src['title']} ({src['updated'] or 'undated'}), "
                         f"{src['section'] or 'no section'}: {where}  score {ans['score']:.2f}")
            for note in payload.get("notes", []):
                lines.append(f"Note: {note}")
            if len(payload["answers"]) > 1:
                lines.append("")
                lines.append("Other candidates:")
        else:
            lines.append(f"  {ans['score']:.2f}  {ans['question']}  ({where})")
    return "\n".join(lines) + "\n"


def cmd_ask(args: argparse.Namespace) -> int:
    from kb.service import BadQuery, KnowledgeBase, KnowledgeBaseError

    settings = _settings()
    db = Path(args.db) if args.db else settings.db
    try:
        payload = KnowledgeBase(db).respond(args.question, args.product, args.limit, settings.max_query)
    except (KnowledgeBaseError, BadQuery) as err:
        print(f"kb ask: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(payload))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kb.service import KnowledgeBaseError, read

    settings = _settings()
    db = Path(args.db) if args.db else settings.db
    try:
        read(db)  # fail now, with a message, rather than serve nothing; the workers load their own
    except KnowledgeBaseError as err:
        print(f"kb serve: {err}", file=sys.stderr)
        return 2
    os.environ["KB_DB"] = str(db.resolve())
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        access_log=False,  # uvicorn's access log would print query strings, API keys included
        log_level="info",
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb", description="A knowledge base of documented answers.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="(re)build the knowledge base from the source documents")
    b.add_argument("--sources", help="folder of documents (default: $KB_SOURCES or kb/sources)")
    b.add_argument("--db", help="SQLite file to write (default: $KB_DB or var/kb.sqlite)")
    b.add_argument("--check", action="store_true",
                   help="dry run: report what would change, write nothing; exit 3 if a document lost too many entries")
    b.add_argument("--max-loss", type=float, default=0.2,
                   help="with --check, the share of a document's entries it may lose (default 0.2)")
    b.add_argument("--strict", action="store_true", help="fail instead of skipping a document that cannot be read")
    b.set_defaults(func=cmd_build)

    a = sub.add_parser("ask", help="answer a question or a pasted error")
    a.add_argument("question")
    a.add_argument("--product", help="coding-plan or token-plan")
    a.add_argument("--limit", type=int, default=3, help="answers to show, 1-20 (default 3)")
    a.add_argument("--db", help="SQLite file to read (default: $KB_DB or var/kb.sqlite)")
    a.add_argument("--json", action="store_true", help="print the API's JSON")
    a.set_defaults(func=cmd_ask)

    s = sub.add_parser("serve", help="serve the JSON API and the search page")
    s.add_argument("--db", help="SQLite file to read (default: $KB_DB or var/kb.sqlite)")
    s.add_argument("--host", help="address to listen on (default: $HOST or 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: $PORT or 8000)")
    s.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    s.set_defaults(func=cmd_serve)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

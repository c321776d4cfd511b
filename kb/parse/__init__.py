"""Source documents -> plain records, one module per format; no database, no web."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

from kb.parse.common import clean, parse_date, title_from_name
from kb.parse.html import parse_html
from kb.parse.markdown import parse_markdown
from kb.parse.text import parse_text
from kb.products import BY_SLUG, product_of_text
from kb.records import ParsedDocument

PARSERS = {
    ".txt": parse_text,
    ".text": parse_text,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
}
SIDECAR = ".meta.json"
CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


class DocumentError(ValueError):
    """A source file that cannot be read as a document; the message names the file."""


def is_source(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in PARSERS and not path.name.startswith(".")


def decoded(path: Path) -> str:
    """A source file's text as written: UTF-8, or UTF-16 with its byte order mark (as Windows editors
    save "Unicode"), or for an HTML page the charset it declares (a page saved from a browser)."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as err:
            raise DocumentError(f"{path.name}: not UTF-16 text, though it opens as such (bad byte at offset {err.start})") from None
    if not data.strip():
        raise DocumentError(f"{path.name}: the file is empty")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{path.name}: a binary file, not a text document")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        declared = CHARSET.search(data[:4096]) if path.suffix.lower() in (".html", ".htm") else None
        if declared:
            try:
                return data.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise DocumentError(f"{path.name}: not UTF-8 text (bad byte at offset {err.start}); save it as UTF-8") from None


def read_text(path: Path) -> str:
    return clean(decoded(path))


def sidecar(path: Path) -> dict[str, str]:
    """Metadata a maintainer put beside the document: `NAME.meta.json` with title/product/url/updated."""
    side = path.with_name(path.name + SIDECAR)
    if not side.is_file():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DocumentError(f"{side.name}: not valid JSON ({err})") from None
    if not isinstance(data, dict):
        raise DocumentError(f"{side.name}: expected a JSON object")
    return {str(k).lower(): str(v) for k, v in data.items() if v is not None}


def parse_document(name: str, text: str, meta: dict[str, str] | None = None) -> ParsedDocument:
    """Parse one document's text; `meta` (front matter or sidecar) overrides what the text says."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    parser = PARSERS.get(suffix)
    if parser is None:
        raise DocumentError(f"{name}: unknown format {suffix or '(no extension)'}; known: {', '.join(PARSERS)}")
    doc = parser(name, text)
    meta = {**doc.meta, **(meta or {})}  # a sidecar file wins over front matter
    if meta.get("title"):
        doc.title = meta["title"]
    if meta.get("updated") or meta.get("date"):
        doc.updated = parse_date(meta.get("updated") or meta.get("date") or "") or doc.updated
    if meta.get("url") or meta.get("source"):
        doc.source_url = meta.get("url") or meta.get("source")
    doc.title = doc.title or title_from_name(name)
    given = (meta.get("product") or "").strip().lower().replace(" ", "-")
    if given and given not in BY_SLUG:
        raise DocumentError(f"{name}: unknown product {meta['product']!r}; known: {', '.join(BY_SLUG)}")
    doc.product = given or product_of_text(text, doc.title)
    if not doc.records:
        doc.warnings.append("no entries found: neither questions nor error tables were recognised")
    return doc


def parse_file(path: Path) -> ParsedDocument:
    return parse_document(path.name, read_text(path), sidecar(path))

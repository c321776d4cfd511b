"""Plain records passed from the parsers to the build: no database, no web."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Record:
    """One documented entry: an error with its cause and solution, or a question and its answer."""

    kind: str  # "error" | "faq"
    question: str
    answer: str
    line_start: int
    line_end: int
    section: str | None = None
    cause: str | None = None
    solution: str | None = None
    # a row of a table comparing the products ("Data security": one cell for each): it speaks of every
    # product it compares, so it is filed under none of them rather than under its document's
    shared: bool = False


@dataclass
class ParsedDocument:
    name: str
    format: str
    title: str | None
    product: str | None
    updated: dt.date | None
    source_url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # front matter the document itself carries
    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # text blocks that sit in no entry: (first line, a short quote)
    leftovers: list[tuple[int, str]] = field(default_factory=list)


def line_span(start: int, end: int) -> str:
    """How a citation names its lines: "line 60" for one, "lines 61–65" for a range."""
    return f"line {start}" if start == end else f"lines {start}–{end}"

"""Web pages dumped as plain text.

Headings, questions and table cells each sit on lines of their own. Error tables come in two
shapes: one cell per paragraph after a header ("Error message" / "Possible cause" / "Solution"),
or one row per line with its cells run together ("Error messagePossible causesSolution").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.parse.common import (
    ADMONITIONS,
    comparison_columns,
    comparison_record,
    first_sentence,
    LIST_ITEM,
    NAV_NOISE,
    PAGE_DESCRIPTION,
    PICTURE_PLACEHOLDERS,
    ROLE_PATTERNS,
    date_line,
    error_record,
    header_roles,
    is_heading_like,
    is_question,
    quote,
)
from kb.products import column_name
from kb.records import ParsedDocument, Record

LABELLED_URL = re.compile(r"^\s*[A-Z][\w\- ]{1,50}:\s*https?://")
# where one cell ends and the next begins in a row whose cells were run together
GLUE_POINT = re.compile(r"(?<=[a-z0-9.!?\]\)'\"”])(?=(?:[A-Z][a-z]+|\d{1,2}\.)\s)")
SENTENCE_OPENERS = {"the", "you", "your", "this", "it", "a", "an", "there", "these", "its", "we", "they"}


@dataclass
class _Open:
    question: str
    start: int  # 0-based line index of the question or heading
    section: str | None
    is_question: bool
    body: list[int] = field(default_factory=list)


def _joined_header(line: str) -> list[str] | None:
    """Roles of a header whose labels were run together: 'Error messagePossible causesSolution'."""
    s = line.strip()
    if len(s) > 80:
        return None
    words = [w for w in re.split(r"(?<=[a-z])(?=[A-Z])|\s*[\t|,]\s*", s) if w]
    labels: list[str] = []
    for word in words:  # re-join words into the longest labels a role knows
        if labels and any(p.match(f"{labels[-1]} {word}") for p in ROLE_PATTERNS.values()):
            labels[-1] = f"{labels[-1]} {word}"
        else:
            labels.append(word)
    roles = header_roles(labels)
    return roles if roles and None not in roles and len(labels) > 1 else None


class _TextParser:
    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.records: list[Record] = []
        self.warnings: list[str] = []
        self.leftovers: list[tuple[int, str]] = []
        self.skip: set[int] = set()
        self.rows: list[Record] = []  # a comparison's rows, filed after the answer they are part of
        self.title: str | None = None
        self.updated = None

    # --- small views of the lines ---------------------------------------------------------
    def _next(self, i: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            if self.lines[j].strip():
                return j
        return None

    def _is_noise(self, i: int) -> bool:
        line = self.lines[i].strip()
        return i in self.skip or line.lower() in NAV_NOISE or line in PICTURE_PLACEHOLDERS

    def _header_at(self, i: int) -> tuple[list[str], int, bool] | None:
        """(roles, index after the header, cells run together?) when an error table starts at i."""
        line = self.lines[i]
        if roles := _joined_header(line):
            return roles, i + 1, True
        labels, j = [line.strip()], i
        while (j := self._next(j)) is not None and len(labels) < 5:
            s = self.lines[j].strip()
            if not any(p.match(s) for p in ROLE_PATTERNS.values()):
                break
            labels.append(s)
            last = j
        if len(labels) > 1 and (roles := header_roles(labels)) and None not in roles:
            return roles, last + 1, False
        return None

    def _leads_to_content(self, i: int, depth: int) -> bool:
        """Whether the line after heading-like line i is a question, a table, or (depth) another such."""
        j = self._next(i)
        if j is None:
            return False
        if is_question(self.lines[j]) or self._header_at(j):
            return True
        return depth > 0 and is_heading_like(self.lines[j]) and self._leads_to_content(j, depth - 1)

    # --- metadata -------------------------------------------------------------------------
    def _metadata(self) -> None:
        for i, line in enumerate(self.lines[:40]):
            if (when := date_line(line)) is not None:
                self.updated = when
                self.skip.add(i)
                prev = i - 1
                while prev >= 0 and not self.lines[prev].strip():
                    prev -= 1
                if prev >= 0 and not is_question(self.lines[prev]):
                    self.title = self.lines[prev].strip()
                    self.skip.add(prev)
                break
        if self.title is None:  # a leading short line that is not navigation: "Token Plan"
            for i, line in enumerate(self.lines[:8]):
                if not line.strip() or self._is_noise(i):
                    continue
                if is_heading_like(line) and not self._leads_to_content(i, 0):
                    self.title = line.strip()
                    self.skip.add(i)
                break

    # --- entries --------------------------------------------------------------------------
    def _close(self, entry: _Open | None) -> None:
        self._add(entry)
        self.records += self.rows
        self.rows = []

    def _add(self, entry: _Open | None) -> None:
        if entry is None:
            return
        body = [i for i in entry.body if self.lines[i].strip()]
        if not body:
            if entry.is_question:
                self.warnings.append(f"line {entry.start + 1}: question has no answer: {quote(entry.question)}")
            return
        words = sum(len(self.lines[i].split()) for i in body)
        if not entry.is_question and words < 4:
            self.leftovers.append((entry.start + 1, quote(entry.question)))
            return
        self.records.append(
            Record(
                kind="faq",
                question=entry.question,
                answer=_join([line for line in self.lines[body[0] : body[-1] + 1] if line.strip() not in PICTURE_PLACEHOLDERS]),
                section=entry.section,
                line_start=entry.start + 1,
                line_end=body[-1] + 1,
            )
        )

    def parse(self) -> None:
        self._metadata()
        section: str | None = None
        current: _Open | None = None
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            if not line.strip() or self._is_noise(i):
                i += 1
                continue
            if table := self._comparison(i, section):
                # a table comparing the products is part of the answer it stands in, and each of its
                # rows an entry of its own too: "Data security" is all Coding Plan's documents say of it
                after, rows = table
                if current is not None:
                    current.body.extend(range(i, after))
                self.rows += rows
                i = after
                continue
            if header := self._header_at(i):
                self._close(current)
                current = None
                roles, start, joined = header
                i = self._joined_rows(roles, start, section) if joined else self._cell_rows(roles, start, section)
                continue
            if is_question(line):
                self._close(current)
                current = _Open(line.strip(), i, section, is_question=True)
                i += 1
                continue
            if is_heading_like(line):
                in_answer = current is not None and current.is_question
                tight = i + 1 < len(self.lines) and bool(self.lines[i + 1].strip())
                if self._leads_to_content(i, 0 if in_answer else 1):
                    self._close(current)
                    current, section = None, line.strip()
                    i += 1
                    continue
                if tight and not in_answer and not LIST_ITEM.match(self.lines[i + 1]):
                    self._close(current)
                    section = line.strip()
                    current = _Open(section, i, section, is_question=False)
                    i += 1
                    continue
            if current is None and not self.records and PAGE_DESCRIPTION.match(line):
                i += 1  # what the page holds, said before it: neither an entry nor content left out of one
                continue
            if current is None and not self.records and line.strip().lower() not in ADMONITIONS:
                current = _Open(first_sentence(line), i, section, is_question=False)
            if current is not None:
                current.body.append(i)
            else:
                self.leftovers.append((i + 1, quote(line)))
            i += 1
        self._close(current)

    # --- tables comparing the products -----------------------------------------------------
    def _comparison(self, i: int, section: str | None) -> tuple[int, list[Record]] | None:
        """A table comparing the products, from its header at i (their names, heading the columns): the
        index after it and an entry per row. Its cells are one per paragraph, or one row per line with
        tabs between them. Cells run together ("Peak-time performanceMulti-tenant isolationRequests may
        queue") give no rows: their words cannot be quoted as the cited lines write them."""
        if "\t" in self.lines[i]:  # "\tToken Plan\tCoding Plan", as a browser copies a table: a row per line
            if not (columns := comparison_columns(self.lines[i].strip().split("\t"))):
                return None
            rows, j = [], i + 1
            while j < len(self.lines) and self.lines[j].strip().count("\t") == len(columns):
                cells = [c.strip() for c in self.lines[j].strip().split("\t")]
                if not all(cells):
                    break
                rows.append(comparison_record(columns, cells, section, i + 1, j + 1))
                j += 1
            return (j, rows) if rows else None
        columns, j, last = [], i, i
        while j is not None and (name := column_name(self.lines[j])):
            columns.append(name)
            last, j = j, self._next(j)
        if len(columns) < 2:
            return None
        width, rows, end = len(columns) + 1, [], last + 1
        # a row per `width` paragraphs, opening with its label, up to the next question or section
        while j is not None and is_heading_like(self.lines[j]) and not self._leads_to_content(j, 1):
            row = [j]
            while len(row) < width and (j := self._next(j)) is not None and not is_question(self.lines[j]):
                row.append(j)
            if len(row) < width:
                break
            rows.append(comparison_record(columns, [self.lines[c].strip() for c in row], section, i + 1, row[-1] + 1))
            end, j = row[-1] + 1, self._next(row[-1])
        return (end, rows) if rows else None

    # --- error tables ---------------------------------------------------------------------
    def _cell_rows(self, roles: list[str], i: int, section: str | None) -> int:
        """Rows of a table dumped one cell per paragraph; returns the index after the table."""
        cells: list[list[int]] = []
        j = i
        while j < len(self.lines):
            if not self.lines[j].strip():
                j += 1
                continue
            line = self.lines[j]
            if is_question(line) or (is_heading_like(line) and self._leads_to_content(j, 1)):
                break  # the table ends where the next question or section begins
            prev = cells[-1] if cells else None
            item = LIST_ITEM.match(line)
            prev_line = self.lines[prev[-1]] if prev else ""
            continues = prev is not None and (
                (item and LIST_ITEM.match(prev_line) and item["num"] != "1")
                or (line[:1].isspace() and not item)
                or (LABELLED_URL.match(line) and LABELLED_URL.match(prev_line))
            )
            if continues:
                prev.append(j)
            else:
                cells.append([j])
            j += 1
        width, end = len(roles), i
        for k in range(0, len(cells) - width + 1, width):
            row = cells[k : k + width]
            first = self.lines[row[0][0]].strip()
            if any(is_question(self.lines[c[0]]) for c in row) or len(first) > 200:
                break
            self._add_row(roles, row, section)
            end = row[-1][-1] + 1
        else:
            rest = len(cells) % width
            if rest and end < len(self.lines):
                self.warnings.append(f"line {end + 1}: error table ends with an incomplete row")
        return end

    def _add_row(self, roles: list[str], row: list[list[int]], section: str | None) -> None:
        texts = {role: _join([self.lines[i] for i in cell]) for role, cell in zip(roles, row)}
        self.records.append(error_record(texts, section, row[0][0] + 1, row[-1][-1] + 1))

    def _joined_rows(self, roles: list[str], i: int, section: str | None) -> int:
        """Rows dumped one per line with their cells run together, up to a blank line."""
        while i < len(self.lines) and self.lines[i].strip():
            line = self.lines[i].strip()
            # a table copied from a browser keeps its cells apart with tabs; else they were run together
            cells = [c.strip() for c in line.split("\t")] if "\t" in line else split_glued(line, len(roles))
            if len(cells) < 2:
                self.warnings.append(f"line {i + 1}: cannot split error table row: {quote(line)}")
            else:
                self.records.append(error_record(dict(zip(roles, cells)), section, i + 1, i + 1))
            i += 1
        return i


def split_glued(line: str, width: int) -> list[str]:
    """Split a row whose cells were run together ("...providedThe request...header.Go to...")."""
    points = [m.start() for m in GLUE_POINT.finditer(line)]
    if not points:
        return [line]

    def strength(p: int) -> int:
        opener = line[p:].split(None, 1)[0].lower()
        return (line[p - 1] in ".!?)]") + (opener in SENTENCE_OPENERS)

    need = min(width - 1, len(points))
    if len(points) > need:  # keep the strongest points, earliest first on ties
        points = sorted(sorted(points, key=lambda p: (-strength(p), p))[:need])
    bounds = [0, *points, len(line)]
    return [line[a:b].strip() for a, b in zip(bounds, bounds[1:])]


def _join(lines: list[str]) -> str:
    """Lines of one block, blank runs folded to one blank line, common indent kept."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def parse_text(name: str, text: str) -> ParsedDocument:
    parser = _TextParser(name, text)
    parser.parse()
    return ParsedDocument(
        name=name,
        format="text",
        title=parser.title,
        product=None,
        updated=parser.updated,
        records=parser.records,
        warnings=parser.warnings,
        leftovers=parser.leftovers,
    )

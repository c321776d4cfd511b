"""Markdown as docs sites export it, read through markdown-it-py tokens (their `map` gives lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kb.parse.common import (
    date_line,
    error_answer,
    error_question,
    comparison_columns,
    comparison_record,
    error_record,
    front_matter,
    header_roles,
    is_question,
    quote,
)
from kb.parse.html import html_tables
from kb.records import ParsedDocument, Record

MD = MarkdownIt("commonmark").enable("table")
ANCHOR = re.compile(r"\s*(\{#[^}]*\}|¶|#+)\s*$")
LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?P<label>error|error message|message|cause|possible causes?|reason|"
    r"solution|resolution|fix|q|a|question|answer)(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*(?P<rest>.*)$",
    re.I,
)
LABEL_ROLE = {
    "error": "message", "error message": "message", "message": "message",
    "cause": "cause", "possible cause": "cause", "possible causes": "cause", "reason": "cause",
    "solution": "solution", "resolution": "solution", "fix": "solution",
    "q": "q", "question": "q", "a": "a", "answer": "a",
}


@dataclass
class _Block:
    start: int  # 0-based first line
    end: int  # 0-based line after the block
    kind: str
    tokens: list[Token] = field(default_factory=list)


@dataclass
class _Section:
    heading: str | None
    line: int | None
    blocks: list[_Block] = field(default_factory=list)
    topic: str | None = None  # the section its entries are filed under: a question's is the topic above it


def inline_text(token: Token) -> str:
    """The text a reader sees: entities decoded, emphasis and code marks dropped, anchors gone."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            parts.append(" ")
    return ANCHOR.sub("", "".join(parts)).strip()


def _sections(tokens: list[Token]) -> list[_Section]:
    sections = [_Section(None, None)]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.level != 0 or not tok.map or tok.nesting == -1:
            i += 1
            continue
        if tok.type == "heading_open":
            sections.append(_Section(inline_text(tokens[i + 1]), tok.map[0]))
            i += 3
            continue
        depth, j = 0, i
        while True:  # gather the whole top-level block
            depth += tokens[j].nesting
            if depth <= 0:
                break
            j += 1
        sections[-1].blocks.append(_Block(tok.map[0], tok.map[1], tok.type.removesuffix("_open"), tokens[i : j + 1]))
        i = j + 1
    return sections


BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?P<text>[^*_].*?)\1\s*$")


def _by_question(sections: list[_Section], lines: list[str]) -> list[_Section]:
    """Each question its own section: a heading asking one is filed under the topic heading above it,
    and so is a paragraph that is a question in bold alone (`**Can I ...?**`), with the blocks after it."""
    out: list[_Section] = []
    topic: str | None = None
    for section in sections:
        if section.heading is None or not is_question(section.heading):
            topic = section.heading
        current = _Section(section.heading, section.line, [], topic if section.heading and is_question(section.heading)
                           else section.heading)
        out.append(current)
        for block in section.blocks:
            bold = block.kind == "paragraph" and block.end - block.start == 1 and BOLD_LINE.match(lines[block.start])
            if bold and is_question(question := inline_text(block.tokens[1])):
                current = _Section(question, block.start, [], topic)
                out.append(current)
            else:
                current.blocks.append(block)
    return out


def _table_rows(block: _Block) -> list[tuple[list[str], int]]:
    """(cells, 0-based line) of each table row, header first."""
    rows: list[tuple[list[str], int]] = []
    for k, tok in enumerate(block.tokens):
        if tok.type == "tr_open":
            cells = []
            for inner in block.tokens[k + 1 :]:
                if inner.type == "tr_close":
                    break
                if inner.type == "inline":
                    cells.append(inline_text(inner))
            rows.append((cells, tok.map[0] if tok.map else block.start))
    return rows


class _MarkdownParser:
    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self.lines = text.splitlines()
        self.records: list[Record] = []
        self.warnings: list[str] = []
        self.leftovers: list[tuple[int, str]] = []
        self.meta, self.meta_lines = front_matter(text)
        self._pending_q: tuple[str, int] | None = None
        self._last_labelled: Record | None = None
        self.rows: list[Record] = []  # a comparison's rows, filed after the entry they are part of
        self.updated = None
        self.source_url = self.meta.get("source") or self.meta.get("url") or self.meta.get("source_url")

    def raw(self, start: int, end: int) -> str:
        return "\n".join(line.rstrip() for line in self.lines[start:end]).strip("\n")

    def _is_metadata(self, block: _Block) -> bool:
        """A blockquote of sources and dates, or a paragraph that only states the date."""
        if block.kind == "paragraph" and block.end - block.start == 1:
            if (when := date_line(self.lines[block.start])) is not None:
                self.updated = self.updated or when
                return True
        if block.kind != "blockquote":
            return False
        body = self.lines[block.start : block.end]
        dated = [date_line(line) for line in body]
        if any(dated):
            self.updated = self.updated or next(d for d in dated if d)
            if self.source_url is None and (m := re.search(r"https?://\S+", "\n".join(body))):
                self.source_url = m.group(0)
            return True
        return False

    def parse(self) -> ParsedDocument:
        # front matter read as Markdown is a rule and a heading ("title: ..." over "---"): blank it out,
        # keeping the lines counted
        tokens = MD.parse("\n" * self.meta_lines + "\n".join(self.lines[self.meta_lines :]))
        sections = _by_question(_sections(tokens), self.lines)
        title = self.meta.get("title")
        for section in sections:
            if title is None and section.heading and section.line is not None:
                if self.lines[section.line].lstrip().startswith("# ") or section.line == 0:
                    title = section.heading
            body: list[_Block] = []
            for block in section.blocks:
                if block.start < self.meta_lines or self._is_metadata(block):
                    continue
                if not self._structured(block, section, body):
                    body.append(block)
            self._section_entry(section, body)
            self.records += self.rows
            self.rows = []
        return ParsedDocument(
            name=self.name,
            format="markdown",
            title=title,
            product=None,
            updated=self.updated,
            source_url=self.source_url,
            meta=self.meta,
            records=self.records,
            warnings=self.warnings,
            leftovers=self.leftovers,
        )

    def _structured(self, block: _Block, section: _Section, body: list[_Block]) -> bool:
        """Turn an error table, a Q/A pair or labelled error fields into entries; False if none."""
        if block.kind == "table":
            rows = _table_rows(block)
            if rows and (columns := comparison_columns(rows[0][0])):
                # a table comparing the products stays in the answer, and each row is an entry too
                self.rows += [comparison_record(columns, cells, section.topic, rows[0][1] + 1, line + 1)
                              for cells, line in rows[1:] if len(cells) == len(columns) + 1 and all(cells)]
                return False
            return self._error_table(rows, section, [block.start, block.end])
        if block.kind == "html_block" and "<table" in block.tokens[0].content.lower():
            found = False
            for rows in html_tables(block.tokens[0].content):
                found |= self._error_table([(r, block.start) for r in rows], section, [block.start, block.end])
            return found
        if block.kind in ("paragraph", "bullet_list"):
            return self._labelled(block, section, body)
        return False

    def _error_table(self, rows: list[tuple[list[str], int]], section: _Section, span: list[int]) -> bool:
        if not rows or (roles := header_roles(rows[0][0])) is None:
            return False  # an error table with no rows is consumed and yields nothing
        for cells, line in rows[1:]:
            texts = {role: cell for role, cell in zip(roles, cells) if role and cell}
            if not error_question(texts):
                continue
            one_line = span[1] - span[0] == 1 or line != span[0]
            self.records.append(error_record(texts, section.topic, line + 1 if one_line else span[0] + 1,
                                             line + 1 if one_line else span[1]))
        return True

    def _labelled(self, block: _Block, section: _Section, body: list[_Block]) -> bool:
        """`**Cause:**` / `**Solution:**` lines, `- Error:` bullets and `Q:` / `A:` pairs."""
        fields: dict[str, str] = {}
        for line in self.lines[block.start : block.end]:
            if m := LABEL.match(line):
                role = LABEL_ROLE[m["label"].lower()]
                fields[role] = (fields.get(role, "") + " " + m["rest"]).strip()
            elif fields:
                last = next(reversed(fields))
                fields[last] = (fields[last] + " " + line.strip()).strip()
        if "q" in fields:
            self._pending_q = (fields["q"], block.start)
            if "a" in fields:
                self._add_faq(fields["q"], fields["a"], section, block.start, block.end)
                self._pending_q = None
            return True
        if "a" in fields and self._pending_q:
            question, start = self._pending_q
            self._add_faq(question, fields["a"], section, start, block.end)
            self._pending_q = None
            return True
        if "cause" in fields or "solution" in fields:
            message = fields.get("message")
            if message is None and section.heading and is_question(section.heading):
                return False  # "Cause: ... Solution: ..." answering a question: its answer, as written
            start = block.start
            last = self.records[-1] if self.records else None
            if (message is None and last is not None and last.kind == "error" and self._last_labelled == last
                    and not any(self.lines[k].strip() for k in range(last.line_end, block.start))):
                # "**Solution:**" in a paragraph of its own, right after the "**Cause:**" one
                last.cause = last.cause or fields.get("cause")
                last.solution = last.solution or fields.get("solution")
                last.answer = error_answer(last.cause, last.solution)
                last.line_end = block.end
                return True
            if message is None and body and body[-1].kind == "paragraph":  # a bold error heading
                head = body.pop()
                message, start = re.sub(r"[*_`]", "", self.raw(head.start, head.end)).strip(), head.start
            if message is None:
                message, start = section.heading or "", section.line if section.line is not None else start
            self.records.append(error_record({**fields, "message": message}, section.topic, start + 1, block.end))
            self._last_labelled = self.records[-1]
            return True
        return False

    def _add_faq(self, question: str, answer: str, section: _Section, start: int, end: int) -> None:
        self.records.append(
            Record(kind="faq", question=question, answer=answer, section=section.topic,
                   line_start=start + 1, line_end=end)
        )

    def _section_entry(self, section: _Section, body: list[_Block]) -> None:
        if not body:
            return
        text = "\n\n".join(self.raw(b.start, b.end) for b in body)
        if section.heading is None:
            if len(text.split()) >= 4:
                self.leftovers.append((body[0].start + 1, quote(text)))
            return
        self.records.append(
            Record(
                kind="faq",
                question=section.heading,
                answer=text,
                section=section.topic,
                line_start=(section.line if section.line is not None else body[0].start) + 1,
                line_end=body[-1].end,
            )
        )


def parse_markdown(name: str, text: str) -> ParsedDocument:
    return _MarkdownParser(name, text).parse()

"""HTML pages saved from a browser, read with lxml (whose elements know their source line)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from kb.parse.common import (
    date_line,
    error_question,
    comparison_columns,
    comparison_record,
    error_record,
    header_roles,
    is_question,
    parse_date,
    quote,
)
from kb.records import ParsedDocument, Record

NOISE_TAGS = ("nav", "header", "footer", "script", "style", "aside", "noscript", "form", "button",
              "svg", "template", "iframe", "select")
NOISE_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary")
BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "table", "pre", "blockquote", "dl"}
INNER_BLOCKS = BLOCK_TAGS | {"li", "div", "section", "article", "tr", "br", "dt", "dd"}
CONTAINERS = ("div", "section", "article", "main", "details", "summary", "span", "dt", "dd", "li", "button")
OPENERS = ("p", "div", "span", "button")  # blocks that may hold a question on a line of its own
# class names pages give the visible title of a question or a collapsible answer
TITLE_CLASS = re.compile(r"question|faq-?(?:title|header|q)\b|(?:accordion|expandable|collaps\w*|toggle)-?(?:title|header|heading|button)", re.I)
STRUCTURE = ("h1", "h2", "h3", "h4", "h5", "h6", "table", "dl", "details", "summary")
# "Q: Can I ...?" / "A: Yes ...", as FAQ pages mark the two halves
QUESTION_MARK = re.compile(r"^(?:Q|Question)\s*[:.：]\s*(?=\S)", re.I)
ANSWER_MARK = re.compile(r"^(?:A|Answer)\s*[:.：]\s*(?=\S)", re.I)
DATE_META = ("article:modified_time", "last-modified", "dcterms.modified", "date", "article:published_time")


def element_text(el: etree._Element) -> str:
    """Text as a reader sees it: block children on lines of their own, list items numbered or bulleted."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):
            return
        tag = node.tag.lower()
        if tag in NOISE_TAGS and not _toggle(node):
            return
        if tag in INNER_BLOCKS:
            parts.append("\n")
        if tag == "li":
            parent = node.getparent()
            if parent is not None and parent.tag == "ol":
                index = [c for c in parent if c.tag == "li"].index(node) + 1
                parts.append(f"{index}. ")
            else:
                parts.append("• ")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in INNER_BLOCKS:
            parts.append("\n")

    walk(el)
    lines = [" ".join(line.split()) for line in "".join(parts).replace("\u00a0", " ").split("\n")]
    return "\n".join(line for line in lines if line)


def _last_line(el: etree._Element) -> int:
    last = el.sourceline or 0
    for node in el.iter():
        if isinstance(node.tag, str) and node.sourceline:
            last = max(last, node.sourceline + (node.text or "").count("\n"))
    return last


def _rows(table: etree._Element) -> list[tuple[list[str], int]]:
    rows = []
    for tr in table.iter("tr"):
        cells = [element_text(c) for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        if cells:
            rows.append((cells, tr.sourceline or table.sourceline or 1))
    return rows


def html_tables(fragment: str) -> list[list[list[str]]]:
    """The rows of every table in an HTML fragment (a raw <table> inside Markdown)."""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    return [[cells for cells, _ in _rows(t)] for t in root.iter("table")]


@dataclass
class _Open:
    question: str
    start: int
    section: str | None
    answer: list[str]
    end: int


def parse_html(name: str, text: str) -> ParsedDocument:
    doc = ParsedDocument(name=name, format="html", title=None, product=None, updated=None)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as err:
        doc.warnings.append(f"not readable as HTML: {err}")
        return doc
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("http-equiv") or "").lower()
        if key in DATE_META and doc.updated is None:
            doc.updated = parse_date(meta.get("content") or "")
        if key in ("og:url",) and meta.get("content"):
            doc.source_url = meta.get("content")
    if (link := root.find(".//link[@rel='canonical']")) is not None and not doc.source_url:
        doc.source_url = link.get("href")
    if (title := root.find(".//title")) is not None and title.text_content().strip():
        doc.title = " ".join(title.text_content().split())
    for bad in list(root.iter(*NOISE_TAGS)):
        if not _toggle(bad):
            bad.drop_tree()
    for bad in root.xpath("//*[@role]"):
        if bad.get("role") in NOISE_ROLES:
            bad.drop_tree()
    main = next(iter(root.xpath("//main | //*[@role='main'] | //article")), None)
    if main is None:
        main = root.find("body")
    if main is None:
        main = root

    section: str | None = None
    current: _Open | None = None
    compared: list[Record] = []  # a comparison's rows, filed after the entry they are part of

    def close() -> None:
        nonlocal current
        if current and current.answer:
            doc.records.append(Record(kind="faq", question=current.question, answer="\n\n".join(current.answer),
                                      section=section, line_start=current.start, line_end=current.end))
        elif current and is_question(current.question):
            doc.warnings.append(f"line {current.start}: question has no answer: {quote(current.question)}")
        doc.records.extend(compared)
        compared.clear()
        current = None

    for el in _blocks(main):
        tag = el.tag.lower()
        body = element_text(el)
        if not body:
            continue
        start, end = el.sourceline or 1, _last_line(el)
        if doc.updated is None and (when := date_line(body)):
            doc.updated = when
            continue
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            close()
            if tag == "h1" and doc.title is None:
                doc.title = body
            if not is_question(body):  # a question's heading is no topic of the entries after it
                section = body
            current = _Open(QUESTION_MARK.sub("", body), start, section, [], end)
            continue
        rows = _rows(el) if tag == "table" else []
        if rows and (roles := header_roles(rows[0][0])):
            close()
            for cells, line in rows[1:]:
                texts = {r: c for r, c in zip(roles, cells) if r and c}
                if error_question(texts):
                    next_line = min((ln for _, ln in rows if ln > line), default=end + 1) - 1
                    doc.records.append(error_record(texts, section, line, max(line, min(next_line, end))))
            continue
        if rows and (columns := comparison_columns(rows[0][0])):
            # a table comparing the products stays in the answer, and each row is an entry too
            for k, (cells, line) in enumerate(rows[1:], 1):
                last = rows[k + 1][1] - 1 if k + 1 < len(rows) else end
                if len(cells) == len(columns) + 1 and all(cells):
                    compared.append(comparison_record(columns, cells, section, rows[0][1], max(line, last)))
        if tag == "dl":
            close()
            for dt_el in el.iter("dt"):
                dd = dt_el.getnext()
                if dd is not None and dd.tag == "dd":
                    doc.records.append(Record(kind="faq", question=element_text(dt_el), answer=element_text(dd),
                                              section=section, line_start=dt_el.sourceline or start,
                                              line_end=_last_line(dd)))
            continue
        # a question on a line of its own opens an entry; so does the visible title of a collapsible
        # answer (<details><summary>), and a block the page's markup calls a question ("faq-question")
        first, _, rest = body.partition("\n")
        if tag == "summary" or (tag in OPENERS and (is_question(first) or (
                not rest and TITLE_CLASS.search(el.get("class") or "")))):
            # "Q: Can I ...?<br>A: Yes ...": a question and its answer in one paragraph
            close()
            current = _Open(QUESTION_MARK.sub("", first), start, section, [], end)
            if rest:
                current.answer.append(ANSWER_MARK.sub("", rest))
            continue
        if current is None:
            doc.leftovers.append((start, quote(body)))
            continue
        current.answer.append(body)
        current.end = max(current.end, end)
    close()
    return doc


def _blocks(root: etree._Element):
    """Top-most block elements in document order; text sitting directly in a <div> counts too."""
    for node in root:
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        if tag in BLOCK_TAGS:
            yield node
        elif tag in CONTAINERS:
            inner = [c.tag.lower() for c in node if isinstance(c.tag, str)]
            direct = (node.text or "").strip() or any((c.tail or "").strip() for c in node)
            if not any(t in BLOCK_TAGS or (t in CONTAINERS and t != "span") for t in inner):
                # inline markup only ("<summary><strong>Can I ...?</strong></summary>"): one block, if it says anything
                if direct or node.text_content().strip():
                    yield node
            elif direct and not _holds_entries(node):
                # text beside paragraphs ("<div>Yes, for 90 days. <p>Resume at any time.</p></div>"): one
                # answer, or its opening words would be lost
                yield node
            else:
                yield from _blocks(node)


def _toggle(el: etree._Element) -> bool:
    """A button that opens a collapsible answer: its text is the question, no control's label."""
    return el.tag == "button" and bool(el.get("aria-controls") or el.get("aria-expanded")
                                       or TITLE_CLASS.search(el.get("class") or ""))


def _holds_entries(node: etree._Element) -> bool:
    """Headings, tables, definition lists, collapsible answers or questions of their own inside."""
    for inner in node.iterdescendants():
        if not isinstance(inner.tag, str):
            continue
        tag = inner.tag.lower()
        if tag in STRUCTURE or (tag in OPENERS and is_question(element_text(inner).partition("\n")[0])):
            return True
    return False

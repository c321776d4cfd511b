"""Helpers shared by the format parsers: metadata, table headers, line shapes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from kb.products import column_name
from kb.records import Record

INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
DATE_LINE = re.compile(
    r"^\W*(?:last\s*updated|last\s*modified|updated(?:\s+on)?|date|更新时间|最后更新)\s*(?:on)?\s*[:：]?\s*(?P<rest>.+)$",
    re.I,
)
ISO_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
NAMED_DATE = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
DAY_FIRST_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def clean(text: str) -> str:
    """NFC, no invisible characters, no non-breaking spaces."""
    return unicodedata.normalize("NFC", text).translate(INVISIBLE).replace("\u00a0", " ")


def parse_date(text: str) -> dt.date | None:
    """The first date in `text`, in the spellings documentation pages use."""
    candidates: list[tuple[int, int, int]] = []
    if m := ISO_DATE.search(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if m := NAMED_DATE.search(text):
        if (month := MONTHS.get(m[1].lower())) is not None:
            candidates.append((int(m[3]), month, int(m[2])))
    if m := DAY_FIRST_DATE.search(text):
        if (month := MONTHS.get(m[2].lower())) is not None:
            candidates.append((int(m[3]), month, int(m[1])))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def date_line(line: str) -> dt.date | None:
    """The date a line such as 'Last Updated:Mar 05, 2026' announces, if it is such a line."""
    m = DATE_LINE.match(line.strip())
    return parse_date(m["rest"]) if m else None


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """`key: value` pairs of a leading `---` block, and how many lines it takes."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            pairs = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep and key.strip():
                    pairs[key.strip().lower()] = value.strip().strip("'\"")
            return pairs, end + 1
    return {}, 0


# --- table headers ------------------------------------------------------------------------
ROLE_PATTERNS = {
    "status": re.compile(r"^(http\s*)?(status|status code|http code)$", re.I),
    "code": re.compile(r"^(error\s*code|code|错误码)$", re.I),
    "message": re.compile(r"^(error|errors|error message|error messages|message|错误信息|报错信息)$", re.I),
    "cause": re.compile(
        r"^(possible\s+)?(cause|causes|reason|reasons|meaning|description|explanation|原因|可能原因|含义|说明)$",
        re.I,
    ),
    "solution": re.compile(
        r"^(solution|solutions|resolution|fix|fixes|how to fix|action|what to do|解决方案|解决方法|处理建议)$",
        re.I,
    ),
}


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The role of each header cell when the header is an error table's, else None."""
    roles: list[str | None] = []
    for cell in cells:
        text = re.sub(r"[*`_]", "", cell).strip()
        roles.append(next((r for r, p in ROLE_PATTERNS.items() if p.match(text)), None))
    has_error = any(r in ("message", "code") for r in roles)
    has_answer = any(r in ("cause", "solution") for r in roles)
    return roles if has_error and has_answer else None


def error_question(cells: dict[str, str]) -> str:
    """The error as a user sees it, from a row's status, code and message cells."""
    parts = [cells.get("status", ""), cells.get("code", ""), cells.get("message", "")]
    head = " ".join(p for p in parts[:2] if p)
    if head and parts[2]:
        return f"{head}: {parts[2]}" if cells.get("code") else f"{head} {parts[2]}"
    return head or parts[2]


def error_answer(cause: str | None, solution: str | None) -> str:
    return "\n\n".join(p for p in (cause, solution) if p)


def error_record(cells: dict[str, str], section: str | None, line_start: int, line_end: int) -> Record:
    """An error entry from a table row's cells by role: status, code, message, cause, solution."""
    return Record(
        kind="error",
        question=error_question(cells),
        answer=error_answer(cells.get("cause"), cells.get("solution")),
        cause=cells.get("cause"),
        solution=cells.get("solution"),
        section=section,
        line_start=line_start,
        line_end=line_end,
    )


def comparison_columns(header: list[str]) -> list[tuple[str, str]] | None:
    """The products a table compares, a column each, from its header's cells: two or more products'
    names after the label column's head (empty, or "Item"), as (name as written, slug)."""
    names = [column_name(re.sub(r"[*`_]", "", cell)) for cell in header]
    if names and not names[0]:
        names = names[1:]
    columns = [n for n in names if n]
    return columns if len(columns) >= 2 and len(columns) == len(names) else None


def comparison_record(columns: list[tuple[str, str]], cells: list[str], section: str | None, line_start: int,
                      line_end: int) -> Record:
    """An entry from one row of a table comparing the products: its label, then a cell per product
    (`columns`: each column's product as written, and its slug). The row's lines are cited from the
    table's header, which names whose each cell is."""
    label, values = cells[0], cells[1:]
    return Record(
        kind="faq",
        question=label,
        answer="\n".join(f"{name}: {value}" for (name, _), value in zip(columns, values)),
        section=section,
        line_start=line_start,
        line_end=line_end,
        shared=len({slug for _, slug in columns}) > 1,
    )


# --- shapes of lines in text dumps --------------------------------------------------------
LIST_ITEM = re.compile(r"^\s*(?:(?P<num>\d{1,2})[.)]|[•·\-*])\s+")
# a page's own description ("Frequently asked questions about X, covering ..."): says what the page
# holds, answers nothing, and would match every query about the page's topics
PAGE_DESCRIPTION = re.compile(
    r"^\W*(?:frequently\s+asked\s+questions|faqs?)\s+(?:about|for|on|regarding|covering)\b|"
    r"^\W*this\s+(?:topic|page|document|article|guide|faq)\s+(?:describes|covers|explains|lists|answers|provides)\b",
    re.I,
)
ADMONITIONS = {"note", "notes", "important", "warning", "caution", "tip", "tips", "notice", "注意", "说明"}
NAV_NOISE = {
    "all products", "search", "document center", "skip to main content", "on this page",
    "table of contents", "contents", "feedback", "previous", "next", "share", "copy", "copied",
    "was this page helpful?", "yes", "no",
}
# where a page had a picture, its dump keeps the picture's alt text on a line of its own, in lower case
# as the page wrote it ("image"): no words of the answer, and no word a query about images should find
PICTURE_PLACEHOLDERS = {"image", "img", "screenshot", "picture", "figure"}
TERMINAL = tuple(".,:;!?。，：；！？")
GLUED = re.compile(r"[a-z][A-Z]")


def is_question(line: str) -> bool:
    s = line.strip()
    return (
        bool(s)
        and not line[:1].isspace()
        and s.endswith(("?", "？"))
        and 6 <= len(s) <= 240
        and not LIST_ITEM.match(s)
        and (s[0].isupper() or s[0].isdigit() or "\u4e00" <= s[0] <= "\u9fff" or s[0] in "\"“'")
    )


def is_heading_like(line: str) -> bool:
    """Short, unpunctuated, capitalised: a heading, a table cell, or a label."""
    s = line.strip()
    if not s or line[:1].isspace() or len(s) > 70 or s.endswith(TERMINAL) or LIST_ITEM.match(s):
        return False
    if s.lower() in ADMONITIONS or s.lower() in NAV_NOISE or "://" in s:
        return False
    if len(GLUED.findall(s)) >= 2:  # tab bars dumped as one line: "Qwen CodeClaude CodeCline"
        return False
    return (s[0].isupper() or "\u4e00" <= s[0] <= "\u9fff") and len(s.split()) <= 10


def quote(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def title_from_name(name: str) -> str:
    """'coding-plan-overview.txt' -> 'Coding plan overview', for documents that name no title."""
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else name


def first_sentence(text: str, width: int = 120) -> str:
    """The opening sentence of a paragraph, to stand as the question of an entry that has none."""
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?。])(?:\s|$)", text)
    return quote(m.group(1) if m else text, width)

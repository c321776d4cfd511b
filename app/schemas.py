"""Response models of the API, apart from the table models (they document /schema)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from msgspec import Meta, Struct

# what the API accepts, stated in the schema so that every schema-valid request is answered: some
# character that is neither NUL nor white space, where \s of the schema's regex dialect (ECMA) and of
# Python's differ (U+001C-U+001F and U+0085 are white space only to Python, U+FEFF only to ECMA).
# Leading space, then the first other character: the two classes are disjoint, so a long query is
# checked in linear time (a pattern such as [^\0]*\S[^\0]*$ backtracks quadratically).
_SPACE = r"\s\u001c-\u001f\u0085\ufeff"
QUERY_PATTERN = rf"^[{_SPACE}]*[^{_SPACE}\u0000][^\u0000]*$"
QUERY = Annotated[str, Meta(min_length=1, pattern=QUERY_PATTERN,
                            description="a question, an error message, a JSON error body or a log line")]
PRODUCT = Literal["coding-plan", "token-plan"]
LIMIT = Annotated[int, Meta(ge=1, le=20, description="answers to return, 1-20")]


@dataclass
class Source:
    document: str  # the file's name under the sources folder
    title: str
    section: str | None
    updated: str | None  # ISO date the document states, or null
    line_start: int  # 1-based; the cited lines hold the question and the answer
    line_end: int
    url: str  # the page showing those lines: /docs/NAME#L27-L31


@dataclass
class Answer:
    id: str  # stable across rebuilds of unchanged text
    kind: str  # "error" or "faq"
    question: str  # the documented question, or the documented error message
    answer: str  # the documents' own text; for an error, its cause then its solution
    score: float  # 0..1; `confident` is true when the best score reaches the threshold
    product: str | None
    source: Source
    cause: str | None = None
    solution: str | None = None


@dataclass
class Conflict:
    id: str
    question: str
    reason: str
    source: Source


@dataclass
class OtherProduct:
    product: str  # the product whose entry answers the query about as well as the top answer
    id: str  # that entry, which `answers` holds too when `limit` leaves room
    question: str
    source: Source


@dataclass
class AnswerResponse:
    query: str  # the query as received, API keys masked
    product: str | None  # given, or inferred from the query
    product_inferred: bool
    confident: bool  # false: no documented answer fits; `answers` holds the nearest entries
    answers: list[Answer]
    notes: list[str] = field(default_factory=list)  # e.g. which older document this answer overrules
    conflicts: list[Conflict] = field(default_factory=list)
    # a query naming no product that another product documents too, with another answer
    other_products: list[OtherProduct] = field(default_factory=list)


class AnswerRequest(Struct, forbid_unknown_fields=False):
    q: QUERY
    product: PRODUCT | None = None
    limit: LIMIT = 3


@dataclass
class Health:
    status: str
    documents: int
    entries: int
    built_at: str | None


@dataclass
class ErrorBody:
    status_code: int
    detail: str

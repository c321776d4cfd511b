"""SQLModel tables of the knowledge base. The schema is created by the migrations, never create_all."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)  # file name under the sources folder
    title: str
    product: str | None = None
    updated: dt.date | None = None
    format: str
    source_url: str | None = None
    content_hash: str
    content: str  # the text as built, so citations and /docs never drift from the entries
    line_count: int


class Entry(SQLModel, table=True):
    id: str = Field(primary_key=True)  # stable: the same for the same question in the same document
    document_id: int = Field(foreign_key="document.id", index=True)
    position: int
    kind: str = Field(index=True)  # "error" | "faq"
    question: str
    answer: str
    cause: str | None = None
    solution: str | None = None
    product: str | None = Field(default=None, index=True)
    section: str | None = None
    line_start: int
    line_end: int
    content_hash: str  # changes when the entry's text changes
    vector: bytes | None = None  # the sentence vector of question and answer (kb.dense), little-endian float32
    # a row of a table comparing the products: it speaks of each of them, so its product is none
    shared: bool = False


class BuildInfo(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str

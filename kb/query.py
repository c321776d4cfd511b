"""Query clean-up: mask secrets, pull messages, codes and statuses out of pasted JSON and logs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.products import product_of_query

SECRET = re.compile(r"\b(sk-(?:sp-)?|sk-ant-|Bearer\s+)([A-Za-z0-9_\-.]{8,})", re.I)
NOISE = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"),  # timestamps
    re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"),
    re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),  # UUIDs
    re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b", re.I),  # hex ids
    re.compile(r"\b(?:req|request|trace|span|chatcmpl|msg)[-_][A-Za-z0-9_\-]{6,}", re.I),  # request ids
    re.compile(r"""["']?(?:request_?id|trace_?id|x-request-id|id|created|param|object)["']?\s*[:=]\s*("[^"]*"|'[^']*'|[\w\-.]+),?""", re.I),
    re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"),  # IP addresses
    re.compile(r"""(?m)^\s*File "[^"]+", line \d+.*$"""),  # Python traceback frames
    re.compile(r"""["'](?:type|message|code|error|detail|msg|status|error_msg|errorMessage)["']\s*:"""),  # JSON keys
    re.compile(r"\\[nrt]"),
]
MESSAGE = re.compile(
    r"""["'](?:message|msg|error_msg|errorMessage|detail)["']\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
)
STATUS = re.compile(
    r"(?:\bhttp(?:/\d(?:\.\d)?)?\s*|\bstatus(?:\s*code)?\s*[:=]?\s*|\berror\s*code\s*[:=]?\s*|\bcode\s*[:=]\s*|^\s*|\[)([45]\d\d)\b",
    re.I | re.M,
)


@dataclass
class CleanQuery:
    original: str  # as received, secrets masked
    text: str  # noise removed: what the matcher reads
    messages: list[str] = field(default_factory=list)
    statuses: set[str] = field(default_factory=set)
    product: str | None = None


def mask_secrets(text: str) -> str:
    """`sk-sp-abcd1234...` -> `sk-sp-****`: keys never travel further than this function."""
    return SECRET.sub(lambda m: m.group(1) + "****", text)


def clean_query(raw: str) -> CleanQuery:
    masked = mask_secrets(raw)
    messages = [a or b for a, b in MESSAGE.findall(masked)]
    statuses = set(STATUS.findall(masked))
    text = masked
    for pattern in NOISE:
        text = pattern.sub(" ", text)
    text = re.sub(r"[{}\[\]]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return CleanQuery(
        original=masked,
        text=text,
        messages=messages,
        statuses=statuses,
        product=product_of_query(raw),
    )

"""The products the documents describe, and how a text or a query names them.

Kept as data: a new product is a new row here, not new code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Edition:
    """A variant sold under the product's name ("Token Plan Team Edition"), with its own document."""

    name: str
    # what in a query asks for this edition rather than the product as most buyers have it
    hints: re.Pattern[str]

    @cached_property
    def named(self) -> re.Pattern[str]:
        """The edition's full name in a text ("Team Edition"), which only its product sells."""
        return re.compile(rf"\b{re.escape(self.name)}\b", re.I)


@dataclass(frozen=True)
class Product:
    slug: str
    name: str
    # how documents name the product (counted to label a document)
    names: re.Pattern[str]
    # what in a query points at the product: its name, key prefixes, base URL hosts
    hints: re.Pattern[str]
    editions: tuple[Edition, ...] = ()
    # the names of its tiers, by which its users name it ("can I go from Pro to Lite"): the weakest
    # clue to a query's product, and no name of it (another vendor's "Pro" is no reason to answer)
    tiers: tuple[str, ...] = ()

    @cached_property
    def tier_named(self) -> re.Pattern[str] | None:
        """A tier's name as a word of its own: not a model's variant ("qwen-image-2.0-pro", "qwen image 2.0 pro")."""
        if not self.tiers:
            return None
        return re.compile(rf"(?<![\w.-])(?<!\d\s)(?:{'|'.join(map(re.escape, self.tiers))})(?![\w.-])", re.I)


PRODUCTS: tuple[Product, ...] = (
    Product(
        slug="coding-plan",
        name="Coding Plan",
        names=re.compile(r"\bcoding[\s-]?plans?\b", re.I),
        hints=re.compile(r"\bcod(?:e|ing)[\s-]?plans?\b|\bsk-sp-|\bcoding-intl\b|\bcoding\.dashscope", re.I),
        tiers=("Lite", "Pro"),
    ),
    Product(
        slug="token-plan",
        name="Token Plan",
        names=re.compile(r"\btoken[\s-]?plans?\b", re.I),
        hints=re.compile(r"\btoken[\s-]?plans?\b|token-plan\.[a-z0-9-]+\.maas", re.I),
        editions=(Edition("Team Edition", re.compile(r"\bteams?\b|\bedition\b|\bseats?\b", re.I)),),
    ),
)
BY_SLUG = {p.slug: p for p in PRODUCTS}
# a product's name, an edition's after it or not, as the head of a table's column
_COLUMN_NAME = re.compile(
    r"(%s)(?:\s+(?:%s))?" % (
        "|".join(re.escape(p.name) for p in PRODUCTS),
        "|".join(re.escape(e.name) for p in PRODUCTS for e in p.editions) or "(?!)",
    ),
    re.I,
)


def product_of_text(text: str, title: str | None = None) -> str | None:
    """The product a document is about: the one its title names, else the one it names most."""
    if title:
        named = [p.slug for p in PRODUCTS if p.names.search(title)]
        if len(named) == 1:
            return named[0]
    counts = {p.slug: len(p.names.findall(text)) for p in PRODUCTS}
    best = max(counts, key=lambda slug: counts[slug])
    if counts[best] == 0:
        return None
    runner_up = max((c for s, c in counts.items() if s != best), default=0)
    return best if counts[best] > runner_up else None


def column_name(cell: str) -> tuple[str, str] | None:
    """The product a table's column is about, when its head is nothing but the product's name (with an
    edition's or not): (the name as written, the product's slug)."""
    if m := _COLUMN_NAME.fullmatch(cell.strip()):
        return m.group(0), next(p.slug for p in PRODUCTS if p.name.lower() == m.group(1).lower())
    return None


def edition_of_text(text: str, product: str | None) -> Edition | None:
    """The edition a document is about: the one that follows most of its mentions of the product's name."""
    found = BY_SLUG.get(product or "")
    if found is None:
        return None
    mentions = len(found.names.findall(text))
    for edition in found.editions:
        named = re.findall(rf"{found.names.pattern}\s+{re.escape(edition.name)}", text, re.I)
        if mentions and len(named) > mentions / 2:
            return edition
    return None


def product_of_query(query: str, clues: tuple[Callable[[Product, str], bool], ...] | None = None) -> str | None:
    """The product a query points at, when it points at exactly one.

    A product named outweighs an edition named, and either outweighs the keys and hosts the query
    quotes: "my token plan key on coding-intl gives 403" is a Token Plan user on another product's host.
    `clues`: the ones to read by, all of `INFERRING` unless told (`CLUES` leaves the tiers out).
    """
    for clue in clues or INFERRING:
        hits = {p.slug for p in PRODUCTS if clue(p, query)}
        if hits:
            return hits.pop() if len(hits) == 1 else None
    return None


# the tools the documents tell users to run the plans in, by name: a query naming one is about their setup
TOOLS = re.compile(r"\b(?:claude[ -]?code|open ?code|open ?claw|qwen[ -]?code|cursor|cline|vs ?code|visual studio code|"
                   r"dify|postman)\b", re.I)


def names_a_product(query: str) -> bool:
    """The query names a product, an edition, one of their keys or hosts, or a tool the documents cover."""
    return bool(TOOLS.search(query)) or names_ours(query)


def names_ours(query: str) -> bool:
    """The query names a product, an edition, one of their keys or hosts: no tool, which users of
    other services run too."""
    return any(clue(p, query) for clue in CLUES for p in PRODUCTS)


def _named(product: Product, query: str) -> bool:
    return bool(product.names.search(query))


def _edition_named(product: Product, query: str) -> bool:
    return any(edition.named.search(query) for edition in product.editions)


def _hinted(product: Product, query: str) -> bool:
    return bool(product.hints.search(query))


def _tier_named(product: Product, query: str) -> bool:
    return bool(product.tier_named and product.tier_named.search(query))


# how a query names a product, strongest first: its name, an edition's full name, a key or host
CLUES = (_named, _edition_named, _hinted)
# and how it points at one without naming it: a tier's name, weakest of all (`product_of_query`)
INFERRING = (*CLUES, _tier_named)

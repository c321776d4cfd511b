"""Query -> ranked entries with scores. Pure: takes entries, returns results; no database, no web.

Three kinds of evidence, each earning its place on real queries:
- error templates: a documented error message with its placeholders (`xxx`) as slots, found in
  order inside a pasted JSON body or log line, tolerant of missing or extra words;
- concept coverage: how much of what the query asks (its rarer words, their synonyms and typo
  repairs) the entry holds, and how much of the entry's question the query asks;
- BM25 over question, answer and section to pick the candidates cheaply.
The score is calibrated so that `confident` means one threshold for every kind of entry.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from kb.products import BY_SLUG
from kb.query import CleanQuery, clean_query
from kb.textnorm import (
    PLACEHOLDER,
    STOPWORDS,
    Synonyms,
    compounds,
    default_synonyms,
    is_english_word,
    specificity,
    stem,
    words,
)

CONFIDENT = 0.5  # scores at or above this answer the query; below, "no documented answer fits"
CANDIDATES = 40
QUOTED = re.compile(r"[\"“”]([^\"“”]{8,160})[\"“”]")
OTHER_PRODUCT = 0.8  # an inferred product scales the other product's scores by this
# a heading or question that joins topics ("Upgrades and downgrades") is asked by asking one of them
ALTERNATIVES = re.compile(r"\s+(?:and|or|&|vs\.?|versus)\s+|[/,;]|\?\s+(?=\S)", re.I)
# another document's entry that covers the query about as well as the top one, and states other
# figures or model ids, disagrees with it: the newer document wins and the response says so
RIVAL_SCORE, RIVAL_COVERAGE = 0.75, 0.9
FACT = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b")
SLOT_SPAN = 6
# an error code before the message, which queries often leave out: "400 InvalidParameter: Range of ..."
CODE_PREFIX = re.compile(r"^\s*(?:[45]\d\d\s+)?(?P<code>[A-Za-z][\w.]*[A-Z_.][\w.]*)\s*:\s*(?P<message>\S.{6,})$")


@dataclass(frozen=True)
class EntryView:
    """What matching and rendering need to know about an entry."""

    id: str
    kind: str
    question: str
    answer: str
    product: str | None
    section: str | None
    line_start: int
    line_end: int
    document: str
    title: str
    updated: dt.date | None
    cause: str | None = None
    solution: str | None = None


@dataclass
class Match:
    entry: EntryView
    score: float


@dataclass
class Result:
    query: CleanQuery
    product: str | None
    product_given: bool
    confident: bool
    matches: list[Match]
    # entries of older documents that the top answer overrules, with why
    conflicts: list[tuple[EntryView, str]] = field(default_factory=list)


@dataclass
class _Template:
    entry: int
    tokens: list[str | None]  # stems; None is a slot for a placeholder
    status: str | None
    weight: float


class Matcher:
    def __init__(self, entries: list[EntryView], synonyms: Synonyms | None = None) -> None:
        self.entries = entries
        self.syn = synonyms or default_synonyms()
        self.n = len(entries)
        self.terms: list[set[str]] = []
        self.tf: list[dict[str, float]] = []
        self.length: list[float] = []
        # the question's concepts with their weights: the whole question, then its parts
        self.question_concepts: list[list[list[tuple[frozenset[str], float]]]] = []
        self.is_question: list[bool] = []
        self.question_terms: list[set[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        surface: set[str] = set()
        pending_questions: list[list[list[tuple[frozenset[str], float]]]] = []
        product_terms = {slug: {stem(w) for w in words(p.name)} for slug, p in BY_SLUG.items()}
        for entry in entries:
            q_words, q_stems, q_terms = self._analyse(entry.question)
            a_words, a_stems, a_terms = self._analyse(entry.answer)
            s_terms = self._analyse(entry.section or "")[2]
            surface.update(q_words, a_words)
            tf: dict[str, float] = defaultdict(float)
            for t in q_terms:
                tf[t] += 3.0
            for t in a_stems:
                tf[t] += 1.0
            for t in a_terms - set(a_stems):
                tf[t] += 1.0
            for t in s_terms:
                tf[t] += 0.5
            terms = set(tf) | product_terms.get(entry.product or "", set())
            self.terms.append(terms)
            self.tf.append(dict(tf))
            self.length.append(3.0 * len(q_stems) + len(a_stems) + 1.0)
            self.question_terms.append(q_terms)
            self.is_question.append(entry.kind == "error" or entry.question.rstrip().endswith(("?", "？")))
            whole = self._concepts(q_words, q_stems, entry.question)
            parts = [self._concepts(*self._analyse(part)[:2], part) for part in ALTERNATIVES.split(entry.question)]
            read_whole = self.is_question[-1]  # only a topic heading lists alternatives; questions and errors are read whole
            pending_questions.append([whole, *(p for p in parts if p and len(parts) > 1 and not read_whole)])
            for t in terms:
                self.postings[t].append(len(self.terms) - 1)
        self.avg_length = sum(self.length) / max(1, self.n)
        self.idf = {t: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}
        self.unknown_idf = math.log(1 + (self.n + 0.5) / 0.5)
        self.question_concepts = [
            [[(c, self._weight(c, spec)) for c, spec in concepts] for concepts in alternatives]
            for alternatives in pending_questions
        ]
        self.vocabulary = sorted(w for w in surface if len(w) >= 4 and not w.isdigit())
        self.vocabulary_set = set(surface)
        # bounded: queries bring endless new words, and the cache must not grow with them
        self._correct = lru_cache(maxsize=16384)(self._repair)
        self.facts = {entry.id: _facts(entry) for entry in entries}
        self.templates: list[_Template] = []
        self.template_postings: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(entries):
            if entry.kind == "error":
                self._add_template(i, entry.question, minimum=1)
                if m := CODE_PREFIX.match(entry.question):  # "InvalidApiKey: No API-key provided."
                    # without its code a message must say enough by itself: not a bare "Access denied"
                    self._add_template(i, m.group("message"), minimum=3)
            else:
                for text in QUOTED.findall(entry.question):
                    self._add_template(i, text, minimum=3)

    # --- analysis -----------------------------------------------------------------------
    def _analyse(self, text: str, correct: bool = False) -> tuple[list[str], list[str], set[str]]:
        ws = [w for w in words(text) if len(w) > 1 or w.isdigit()]
        if correct:
            ws = [self._correct(w) for w in ws]
        stems = [stem(w) for w in ws]
        terms = set(stems) | {t for _, _, t in self.syn.canonical(stems)} | set(compounds(text))
        return ws, stems, terms

    def _concepts(self, ws: list[str], stems: list[str], text: str) -> list[tuple[frozenset[str], float]]:
        """What a text asks: one concept per content word, with how specific the word is in English.

        A concept is the word's stem and the synonyms covering it; a word inside a synonym phrase
        ("at once", "money back") stands only for the phrase's meaning.
        """
        covering: dict[int, set[str]] = defaultdict(set)
        in_phrase: set[int] = set()
        for start, end, target in self.syn.canonical(stems):
            for k in range(start, end):
                covering[k].add(target)
                if end - start > 1:
                    in_phrase.add(k)
        seen: set[frozenset[str]] = set()
        out = []
        for k, (w, s) in enumerate(zip(ws, stems)):
            if w in STOPWORDS or s in STOPWORDS:
                continue
            concept = frozenset(covering[k] if k in in_phrase else {s} | covering[k])
            if concept not in seen:
                seen.add(concept)
                out.append((concept, specificity(w)))
        for c in compounds(text):
            concept = frozenset({c})
            if concept not in seen:
                seen.add(concept)
                out.append((concept, 1.0))
        return out

    def _weight(self, concept: frozenset[str], specific: float = 1.0) -> float:
        """Rarity in the documents, tempered by how common the word is in English at large."""
        known = [self.idf[t] for t in concept if t in self.idf]
        if known:
            return max(known) * specific
        if all(t.replace(".", "").replace(",", "").isdigit() for t in concept):
            return 0.3  # a value such as a limit or a port: says little about the topic
        # a word no document uses, however everyday ("phone", "pizza"), says the documents may not cover this
        return self.unknown_idf * max(specific, 0.75)

    def _repair(self, word: str) -> str:
        """A typo repaired to the nearest document word ("alocated" -> "allocated"), else itself."""
        if word in self.vocabulary_set or len(word) < 4 or word.isdigit() or not word.isascii() or word in STOPWORDS:
            return word
        if stem(word) in self.idf or is_english_word(word):
            return word
        cutoff = 85 if len(word) <= 5 else 80
        best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
        return best[0] if best else word

    def _add_template(self, entry: int, text: str, minimum: int) -> None:
        status = None
        if m := re.match(r"^\s*(?:HTTP\s*)?([45]\d\d)\b", text):
            status, text = m.group(1), text[m.end() :]
        tokens: list[str | None] = []
        for w in words(text):
            slot = PLACEHOLDER.match(w) is not None
            if slot and tokens and tokens[-1] is None:
                continue
            tokens.append(None if slot else stem(w))
        content = [t for t in tokens if t is not None and t not in STOPWORDS]
        if len(content) < minimum:
            return
        template = _Template(entry, tokens, status, sum(self.idf.get(t, 1.0) for t in tokens if t))
        self.templates.append(template)
        for t in set(content):
            self.template_postings[t].append(len(self.templates) - 1)

    # --- matching -------------------------------------------------------------------------
    def _template_score(self, template: _Template, positions: dict[str, list[int]], query_stems: list[str],
                        statuses: set[str]) -> float:
        """The idf share of a template's words found in order in the query, slots absorbing values.

        Alignment is anchored on every shared word and grown both ways, so a query that drops the
        message's first or last words still lines up with the rest.
        """
        tokens = template.tokens
        best, anchors = 0.0, 0
        for i, t in enumerate(tokens):
            if t is None:
                continue
            for p in positions.get(t, ()):
                anchors += 1
                if anchors > 64:
                    break
                got = self.idf.get(t, 1.0) + self._extend(tokens[i + 1 :], query_stems, p, +1)
                got += self._extend(tokens[:i][::-1], query_stems, p, -1)
                best = max(best, got / template.weight if template.weight else 0.0)
        if template.status and statuses:
            best = min(1.0, best + 0.05) if template.status in statuses else best * 0.85
        return best

    def _extend(self, tokens: list[str | None], query: list[str], at: int, step: int) -> float:
        got, q, after_slot = 0.0, at + step, False
        for t in tokens:
            if t is None:
                after_slot = True
                continue
            for k in range(SLOT_SPAN if after_slot else 2):
                p = q + k * step
                if not 0 <= p < len(query):
                    break
                if query[p] == t:
                    got += self.idf.get(t, 1.0)
                    q = p + step
                    break
            after_slot = False
        return got

    def search(self, raw: str, product: str | None = None, limit: int = 3) -> Result:
        query = clean_query(raw)
        given = product is not None
        product = product or query.product
        ws, stems, terms = self._analyse(query.text, correct=True)
        weighted = self._concepts(ws, stems, query.text)
        concepts = [c for c, _ in weighted]
        weights = [self._weight(c, spec) for c, spec in weighted]
        total = sum(weights) or 1.0

        bm25: dict[int, float] = defaultdict(float)
        for concept, weight in zip(concepts, weights):
            best_tf: dict[int, float] = {}
            for t in concept:
                postings = self.postings.get(t, ())
                if len(postings) > 0.6 * self.n:
                    continue
                for e in postings:
                    tf = self.tf[e].get(t, 0.5)
                    norm = tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * self.length[e] / self.avg_length))
                    best_tf[e] = max(best_tf.get(e, 0.0), norm)
            for e, v in best_tf.items():
                bm25[e] += weight * v

        positions: dict[str, list[int]] = defaultdict(list)
        for p, s in enumerate(stems):
            positions[s].append(p)
        template_scores: dict[int, float] = {}
        for tid in {tid for s in positions for tid in self.template_postings.get(s, ())}:
            template = self.templates[tid]
            score = self._template_score(template, positions, stems, query.statuses)
            template_scores[template.entry] = max(template_scores.get(template.entry, 0.0), score)

        candidates = set(sorted(bm25, key=bm25.__getitem__, reverse=True)[:CANDIDATES])
        candidates |= {e for e, s in template_scores.items() if s >= 0.5}
        ranked: list[tuple[float, float, int]] = []
        coverage: dict[int, float] = {}
        for e in candidates:
            entry = self.entries[e]
            if given and entry.product not in (product, None):
                continue
            covered = sum(w for c, w in zip(concepts, weights) if c & self.terms[e]) / total
            in_question = sum(w for c, w in zip(concepts, weights) if c & self.question_terms[e]) / total
            reverse = max(self._asked(asked, terms) for asked in self.question_concepts[e])
            if self.is_question[e]:
                score = 0.45 * covered + 0.2 * in_question + 0.35 * reverse
            else:  # a topic heading over a body of facts: the body says more than the heading
                score = 0.7 * covered + 0.1 * in_question + 0.2 * reverse
            if (found := template_scores.get(e)) is not None:
                # a template half found is weak evidence, and so is one that explains almost none of the query
                score = max(score, found**3 * (0.7 + 0.3 * min(1.0, covered / 0.3)))
            if product and not given and entry.product not in (product, None):
                score *= OTHER_PRODUCT
            ranked.append((round(min(score, 1.0), 4), bm25.get(e, 0.0), e))
            coverage[e] = covered
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
        scored = [Match(self.entries[e], score) for score, _, e in ranked]
        confident = bool(scored) and scored[0].score >= CONFIDENT
        conflicts = self._prefer_newer(scored, [coverage[e] for _, _, e in ranked], set(stems))
        return Result(query, product, given, confident, scored[:limit], conflicts)

    @staticmethod
    def _asked(concepts: list[tuple[frozenset[str], float]], terms: set[str]) -> float:
        """The weighted share of a question's concepts that the query mentions."""
        return sum(w for c, w in concepts if c & terms) / (sum(w for _, w in concepts) or 1.0)

    def _prefer_newer(self, scored: list[Match], covered: list[float], asked: set[str]) -> list[tuple[EntryView, str]]:
        """When documents of one product disagree on what the query asks, the newest goes first."""
        if not scored:
            return []
        top, top_covered = scored[0], covered[0]
        top_facts = self.facts[top.entry.id] - asked
        group = [top] + [
            m for m, c in zip(scored[1:12], covered[1:12])
            if m.score >= RIVAL_SCORE * top.score
            and c >= RIVAL_COVERAGE * top_covered
            and m.entry.document != top.entry.document
            and m.entry.product == top.entry.product
            and m.entry.kind == top.entry.kind
            and (facts := self.facts[m.entry.id] - asked) and top_facts and facts != top_facts
        ]
        if len(group) == 1:
            return []
        newest = max(group, key=lambda m: (m.entry.updated or dt.date.min, m.score))
        if newest is not top:
            scored.remove(newest)
            scored.insert(0, newest)
        winner = newest.entry
        when = winner.updated.isoformat() if winner.updated else "undated"
        conflicts, seen = [], {winner.document}
        for m in group:
            if m.entry.document in seen:
                continue
            seen.add(m.entry.document)
            other = m.entry.updated.isoformat() if m.entry.updated else "undated"
            conflicts.append((m.entry, f"{m.entry.document} ({other}) says otherwise; "
                                       f"{winner.document} ({when}) is newer and is preferred"))
        return conflicts


def _facts(entry: EntryView) -> frozenset[str]:
    """Figures and model ids an entry states (those the query itself names are set aside per query)."""
    text = f"{entry.question}\n{entry.answer}"
    return frozenset(set(FACT.findall(text)) | set(compounds(text)))

"""Property-based tests: any text at all goes through the parsers, the clean-up and the matcher."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.parse import parse_document
from kb.parse.text import split_glued
from kb.match import CONFIDENT, HELD_ALONE
from kb.query import clean_query, mask_secrets
from kb.service import KnowledgeBase

# text shaped like the sources: headings, questions, table labels, list items, pipes, tags
pieces = st.sampled_from([
    "Error message", "Possible cause", "Solution", "Error messagePossible causesSolution", "What is it?",
    "  1. Step one.", "  • bullet", "| a | b |", "|---|---|", "<table><tr><td>x</td></tr></table>", "# Head",
    "Q: why?", "A: because.", "**Cause:** x", "Last Updated:Mar 05, 2026", "---", "```", "> [!note]", "\u200b",
    "model 'xxx' is not supported", "Anthropic-compatible: https://x.example/apps/anthropic", "",
])
documents = st.lists(st.one_of(pieces, st.text(max_size=40)), max_size=40).map("\n".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(text=documents, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_parsers_return_records_with_sane_line_ranges_for_any_text(text: str, suffix: str) -> None:
    doc = parse_document("doc" + suffix, text)
    total = max(1, len(text.splitlines()))
    for rec in doc.records:
        assert 1 <= rec.line_start <= rec.line_end <= total + 1
        assert rec.kind in ("error", "faq")


@FAST
@given(line=st.text(max_size=200), width=st.integers(min_value=1, max_value=5))
def test_splitting_glued_cells_loses_no_text(line: str, width: int) -> None:
    cells = split_glued(line, width)
    # whitespace of any kind is read alike on both sides: a cell keeps a U+0085 inside it, which split() drops
    assert "".join("".join(c.split()) for c in cells) == "".join(line.split()) or len(cells) == 1


@FAST
@given(text=st.text(max_size=500))
def test_query_clean_up_never_raises_and_never_echoes_a_key(text: str) -> None:
    key = "sk-sp-0123456789abcdefXYZ"
    cleaned = clean_query(text + " " + key)
    assert "0123456789abcdefXYZ" not in cleaned.original and "0123456789abcdefXYZ" not in cleaned.text
    assert mask_secrets(cleaned.original) == cleaned.original


@FAST
@given(text=st.text(min_size=1, max_size=300).filter(lambda s: s.strip() and "\x00" not in s))
def test_the_matcher_answers_any_text(kb: KnowledgeBase, text: str) -> None:
    out = kb.answer(text)
    assert all(0.0 <= m.score <= 1.0 for m in out.matches) and len(out.matches) <= 3
    # `confident` is one threshold on the answer shown first, whatever reordered it
    assert not out.confident or out.matches[0].score >= CONFIDENT


# words of the queries the service gets: product names and their clues, the documents' words, and
# words no document holds, told in one to four sentences (the matcher reads a query of several
# sentences sentence by sentence when the whole is unsure, each with the product the whole names)
query_words = st.sampled_from([
    "coding plan", "token plan", "team edition", "Lite", "Pro", "sk-sp-****", "coding-intl", "refund", "quota",
    "invalid access token", "401", "base url", "can I", "why", "my key", "we are", "a company", "pizza",
    "flowers", "the office", "deliver", "tiny", "firm", "send", "",
])
sentences = st.lists(st.lists(query_words, min_size=1, max_size=6).map(" ".join), min_size=1, max_size=4)


@FAST
@given(parts=sentences, product=st.sampled_from([None, "coding-plan", "token-plan"]))
def test_the_matcher_answers_any_query_of_sentences(kb: KnowledgeBase, parts: list[str], product: str | None) -> None:
    text = ". ".join(parts) + "?"
    out = kb.answer(text, product=product)
    assert all(0.0 <= m.score <= 1.0 for m in out.matches) and len(out.matches) <= 3
    assert not out.confident or out.matches[0].score >= HELD_ALONE  # a product named lowers the bar, to this at most

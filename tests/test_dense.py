"""Sentence vectors: the encoder, the re-scoring of undecided queries, and bases without vectors."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from kb import dense
from kb.build import build
from kb.match import CONFIDENT, DECISIVE, Matcher
from kb.query import clean_query
from kb.service import KnowledgeBase
from tests.conftest import SOURCES


@pytest.fixture(scope="module")
def encoder() -> dense.Encoder:
    found = dense.encoder()
    assert found is not None, "the sentence encoder must run where the tests run (make install)"
    return found


def test_vectors_are_unit_length_and_near_for_the_same_meaning(encoder: dense.Encoder) -> None:
    refund, money_back, window = (encoder.encode(t) for t in (
        "Can I get a refund?", "How do I get my money back?", "What is the context window of glm-5?"))
    assert refund.shape == (dense.DIMENSIONS,) and np.linalg.norm(refund) == pytest.approx(1.0, abs=1e-4)
    assert refund @ money_back > 0.5 > refund @ window + 0.3
    assert np.array_equal(encoder._encode("Can I get a refund?"), refund)  # the same text, the same vector


def test_a_long_paste_is_read_up_to_the_query_limit(encoder: dense.Encoder) -> None:
    long = "Connection error while calling the model. " * 200
    assert np.allclose(encoder.encode(long), encoder.encode(long + " and more words"))


def test_a_corrupt_model_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    bad.write_bytes(b"not a model")
    with pytest.raises(dense.EncoderUnavailable, match="cannot be loaded"):
        dense.Encoder(bad)


def test_weights_other_than_the_pinned_ones_are_refused(tmp_path: Path) -> None:
    changed = tmp_path / "model.safetensors"
    changed.write_bytes((dense._model_dir() / "model.safetensors").read_bytes()[:-1] + b"\x00")
    with pytest.raises(dense.EncoderUnavailable, match="not the pinned all-MiniLM-L6-v2 weights"):
        dense._weights(changed)


def test_a_model_file_from_another_recipe_is_written_again(encoder: dense.Encoder, tmp_path: Path) -> None:
    """A file left by an older version would make query vectors that do not match the stored ones."""
    import onnx

    stale = tmp_path / "model.onnx"
    model = onnx.load(dense.encoder_path())
    onnx.helper.set_model_props(model, {dense.RECIPE_KEY: "an older recipe"})
    onnx.save(model, stale)
    rewritten = dense.Encoder(stale)
    assert rewritten.session.get_modelmeta().custom_metadata_map[dense.RECIPE_KEY] == dense.NAME
    assert {p.key: p.value for p in onnx.load(stale).metadata_props}[dense.RECIPE_KEY] == dense.NAME
    assert np.allclose(rewritten.encode("Can I get a refund?"), encoder.encode("Can I get a refund?"))


def test_the_build_stores_a_vector_for_every_entry_and_the_model_that_made_them(built_db: Path) -> None:
    with sqlite3.connect(built_db) as conn:
        blobs = [b for (b,) in conn.execute("SELECT vector FROM entry")]
        model = conn.execute("SELECT value FROM buildinfo WHERE key = 'encoder'").fetchone()
    assert blobs and all(dense.from_blob(b) is not None for b in blobs)
    assert model == (dense.NAME,)


def test_a_paraphrase_sharing_few_words_is_answered_by_meaning(kb: KnowledgeBase) -> None:
    query = clean_query("why did my february subscription end early")
    words_only = Matcher(kb.entries).rank(query)
    by_meaning = kb.matcher.rank(query)
    assert not words_only.confident and words_only.matches[0].score < DECISIVE
    assert by_meaning.confident and "February" in by_meaning.matches[0].entry.question


def test_an_off_topic_question_that_shares_a_word_is_held_back_by_meaning(kb: KnowledgeBase) -> None:
    # "api key" and "not working" are the documents' words; Cursor and Anthropic are not their topic
    query = clean_query("anthropic api key not working in cursor")
    assert Matcher(kb.entries).rank(query).confident
    assert not kb.matcher.rank(query).confident


@pytest.mark.parametrize("query", ["hour allocated quota exceeded", "InvalidApiKey: Invalid API-key provided.",
                                   "How to reset the API key for Coding Plan?"])
def test_a_decisive_answer_by_words_is_not_scored_again(kb: KnowledgeBase, query: str) -> None:
    words_only = Matcher(kb.entries).rank(clean_query(query))
    assert words_only.matches[0].score >= DECISIVE
    assert [(m.entry.id, m.score) for m in kb.matcher.rank(clean_query(query)).matches] == \
        [(m.entry.id, m.score) for m in words_only.matches]


def test_an_error_message_found_in_a_log_line_is_never_scored_lower_by_meaning(kb: KnowledgeBase) -> None:
    # a name of no model family: one of a family ("glm-9") is read as an unlisted model, which words decide
    query = clean_query("[ERROR] 2026-06-01T10:00:00Z upstream replied: 'acme-7' not found or not supported (token plan)")
    words_only = Matcher(kb.entries).rank(query)
    by_meaning = kb.matcher.rank(query)
    assert words_only.matches[0].score < DECISIVE  # undecided, so it is scored again
    assert by_meaning.matches[0].entry.id == words_only.matches[0].entry.id
    assert by_meaning.matches[0].score >= words_only.matches[0].score >= CONFIDENT


def _without(db: Path, sql: list[str]) -> None:
    with sqlite3.connect(db) as conn:
        for statement in sql:
            conn.execute(statement)


def test_a_base_built_before_entries_had_vectors_is_answered_by_words(tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    build(SOURCES, db)
    _without(db, ["ALTER TABLE entry DROP COLUMN vector", "DELETE FROM buildinfo WHERE key = 'encoder'"])
    kb = KnowledgeBase(db)
    assert kb.matcher.encode is None
    result = kb.answer("hour allocated quota exceeded")
    assert result.confident and result.matches[0].entry.question == "hour allocated quota exceeded"


def test_vectors_from_another_model_are_not_mixed_with_this_one(tmp_path: Path, caplog) -> None:
    db = tmp_path / "kb.sqlite"
    build(SOURCES, db)
    _without(db, ["UPDATE buildinfo SET value = 'some-other-model' WHERE key = 'encoder'"])
    with caplog.at_level(logging.WARNING, logger="kb"):
        kb = KnowledgeBase(db)
    assert kb.matcher.encode is None
    assert "some-other-model" in caplog.text and "words alone" in caplog.text


def test_the_encoder_can_be_turned_off_for_throughput(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KB_ENCODER", "off")
    dense.encoder.cache_clear()
    try:
        assert dense.encoder() is None
        db = tmp_path / "kb.sqlite"
        build(SOURCES, db)  # built without vectors, and answered by words
        kb = KnowledgeBase(db)
        assert kb.matcher.encode is None and kb.answer("hour allocated quota exceeded").confident
    finally:
        dense.encoder.cache_clear()

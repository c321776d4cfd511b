from __future__ import annotations

import datetime as dt

import pytest

from kb.parse import parse_file
from kb.parse.text import parse_text, split_glued
from tests.conftest import SOURCES

# error rows per shipped document (as the issue states) and the questions counted by reading them
EXPECTED = {
    "coding-plan-faq.txt": (9, 29),
    "token-plan-team-edition-faq.txt": (7, 15),
    "token-plan-faq.txt": (13, 27),
    "coding-plan-overview.txt": (8, 3),
    "coding-plan-vs-standard-key.md": (5, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_error_row_and_question_becomes_an_entry(name: str) -> None:
    doc = parse_file(SOURCES / name)
    errors = [r for r in doc.records if r.kind == "error"]
    questions = [r for r in doc.records if r.kind == "faq" and r.question.endswith("?")]
    assert (len(errors), len(questions)) == EXPECTED[name]
    assert not doc.warnings


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_line_range_holds_its_question_and_answer(name: str) -> None:
    lines = (SOURCES / name).read_text(encoding="utf-8").splitlines()
    for rec in parse_file(SOURCES / name).records:
        cited = fold(" ".join(lines[rec.line_start - 1 : rec.line_end]))
        assert fold(rec.question) in cited, rec
        for part in rec.answer.split("\n"):
            # a comparison's row names the column of each cell: "Coding Plan: User data authorization required"
            for piece in part.split(": ", 1) if rec.shared else [part]:
                assert fold(piece) in cited, (rec.question, piece)


def fold(text: str) -> str:
    """White space runs and Markdown code marks ignored, as a reader of the cited lines would."""
    return " ".join(text.replace("`", "").split())


def test_metadata_comes_from_the_text() -> None:
    faq = parse_file(SOURCES / "coding-plan-faq.txt")
    assert (faq.title, faq.product, faq.updated) == ("Alibaba Cloud Model Studio:FAQ", "coding-plan", dt.date(2026, 3, 5))
    team = parse_file(SOURCES / "token-plan-team-edition-faq.txt")
    assert (team.product, team.updated) == ("token-plan", dt.date(2026, 4, 30))
    assert parse_file(SOURCES / "token-plan-faq.txt").updated is None


def test_product_is_read_from_the_text_not_the_file_name(tmp_path) -> None:
    renamed = tmp_path / "faq-copy.txt"
    renamed.write_bytes((SOURCES / "token-plan-faq.txt").read_bytes())
    assert parse_file(renamed).product == "token-plan"


def test_cells_spanning_paragraphs_stay_in_their_row() -> None:
    doc = parse_file(SOURCES / "token-plan-team-edition-faq.txt")
    row = next(r for r in doc.records if r.question == "InvalidApiKey: No API-key provided.")
    assert row.cause.startswith("1. The API Key is not configured.") or "API Key is not configured" in row.cause
    assert "Authorization: Bearer" in row.solution and "x-api-key" in row.cause
    assert (row.line_start, row.line_end) == (73, 81)
    faq = parse_file(SOURCES / "coding-plan-faq.txt")
    row = next(r for r in faq.records if r.question == "403 invalid api-key")
    assert "Anthropic-compatible" in row.solution and "OpenAI-compatible" in row.solution


def test_rows_with_cells_run_together_are_split() -> None:
    doc = parse_file(SOURCES / "token-plan-faq.txt")
    row = next(r for r in doc.records if "Throttling.AllocationQuota" in r.question)
    assert row.question == "429 Throttling.AllocationQuota / insufficient_quota"
    assert row.cause.startswith("The plan's tokens are depleted")
    assert row.solution.startswith("Wait for the quota to reset")
    assert split_glued("Connection errorThe base URL is wrong.Check it.", 3) == [
        "Connection error", "The base URL is wrong.", "Check it."]


def test_a_table_copied_from_a_browser_splits_at_its_tabs() -> None:
    # cells a copy keeps apart with tabs, a cause that does not end in a full stop among them
    text = ("Gadget FAQ\n\nCommon errors\n\nError message\tPossible cause\tSolution\n"
            "429 gadget burst limit\tToo many gadgets at once\tWait a minute. Then retry.\n"
            "401 gadget key revoked\tThe key was revoked.\tCreate a new key.\n")
    doc = parse_text("gadgets.txt", text)
    assert not doc.warnings
    assert [(r.question, r.cause, r.solution, r.line_start) for r in doc.records] == [
        ("429 gadget burst limit", "Too many gadgets at once", "Wait a minute. Then retry.", 6),
        ("401 gadget key revoked", "The key was revoked.", "Create a new key.", 7),
    ]


def test_each_row_of_a_table_comparing_the_products_is_an_entry_for_both() -> None:
    # the Team Edition page writes its comparison one cell per paragraph: the table stays the answer to
    # "What is the difference ...?", and each row is an entry of its own, cited from the columns' heads
    doc = parse_file(SOURCES / "token-plan-team-edition-faq.txt")
    comparison = next(r for r in doc.records if r.question.startswith("What is the difference"))
    assert (comparison.line_start, comparison.line_end) == (11, 57) and not comparison.shared
    rows = [r for r in doc.records if r.shared]
    assert [r.question for r in rows] == ["Use cases", "Supported models", "Billing method", "Usage frequency",
                                          "API Key and Base URL", "Peak-time performance", "Data security"]
    data = rows[-1]
    assert data.answer == "Token Plan Team Edition: We do not use your data to train models\nCoding Plan: User data authorization required"
    assert (data.line_start, data.line_end, data.kind, data.section) == (13, 57, "faq", comparison.section)
    assert doc.records.index(rows[0]) == doc.records.index(comparison) + 1  # filed after the answer they are part of


def test_a_comparison_whose_cells_run_together_stays_one_answer() -> None:
    # "Data securityYour data is not used to train modelsUser data authorization required": no cell can be
    # quoted as its lines write it, so the table is only the answer it stands in, as it was
    doc = parse_file(SOURCES / "token-plan-faq.txt")
    assert not any(r.shared for r in doc.records)
    comparison = next(r for r in doc.records if r.question.startswith("What is the difference"))
    assert "Data securityYour data" in comparison.answer


def test_a_comparison_copied_from_a_browser_splits_at_its_tabs() -> None:
    text = ("Plans FAQ\n\nHow do the plans differ?\n\nItem\tToken Plan\tCoding Plan\n"
            "Refunds\tNone\tWithin 7 days\nModels\tText and image\tText\n\nCan I get a refund?\n\nNo.\n")
    doc = parse_text("plans.txt", text)
    assert [(r.question, r.shared, r.line_start, r.line_end) for r in doc.records] == [
        ("How do the plans differ?", False, 3, 7), ("Refunds", True, 5, 6), ("Models", True, 5, 7),
        ("Can I get a refund?", False, 9, 11)]
    assert doc.records[1].answer == "Token Plan: None\nCoding Plan: Within 7 days"


def test_tables_that_are_not_error_tables_stay_in_their_answer() -> None:
    doc = parse_file(SOURCES / "coding-plan-faq.txt")
    window = next(r for r in doc.records if r.question.startswith("What is the context window"))
    assert "glm-5" in window.answer and "202,752" in window.answer
    assert all("Context window" not in r.question for r in doc.records if r.kind == "error")


def test_a_text_without_structure_yields_no_entries_and_a_warning() -> None:
    doc = parse_text("notes.txt", "just some words\n")
    assert doc.records == [] or all(r.kind == "faq" for r in doc.records)


@pytest.mark.parametrize("intro", [
    "Frequently asked questions about Token Plan Team Edition, covering purchasing, usage, and metering.",
    "This topic describes how to subscribe to Coding Plan and answers common questions.",
])
def test_a_pages_description_of_itself_is_not_an_entry(intro: str) -> None:
    # it names every topic of the page and answers none: as an entry it took "how are credits consumed?"
    text = f"Plan FAQ\n\nLast Updated:Apr 30, 2026\n\n{intro}\n\nCan I get a refund?\n\nNo. Subscriptions are non-refundable.\n"
    doc = parse_text("faq.txt", text)
    assert [r.question for r in doc.records] == ["Can I get a refund?"]
    assert not doc.leftovers  # nor is it content a maintainer must be told was left out


def test_an_opening_statement_that_says_something_stays_an_entry() -> None:
    text = "Coding Plan is a subscription plan from Model Studio. It charges a fixed monthly fee.\n\nCan I get a refund?\n\nNo.\n"
    doc = parse_text("overview.txt", text)
    assert doc.records[0].question == "Coding Plan is a subscription plan from Model Studio."


def test_a_pictures_alt_text_is_no_part_of_the_answer() -> None:
    doc = parse_text("page.txt", "FAQ\n\nHow do I see the thinking?\n\nPress Ctrl + O.\n\nimage\n\nThen scroll up.\n")
    (rec,) = doc.records
    assert rec.answer == "Press Ctrl + O.\n\nThen scroll up." and rec.line_end == 9
    faq = parse_file(SOURCES / "coding-plan-faq.txt")
    thinking = next(r for r in faq.records if r.question == "Do Coding Plan models support thinking mode?")
    assert "Ctrl + O" in thinking.answer and "image" not in thinking.answer.split()

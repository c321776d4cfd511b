"""Each set of the customer questions as it scores now: `python -m tests.sets [DB]` (or `make sets`).

A set is the ids' prefix ("set98" of "set98-01", "o" of "o19"); each line gives the answerable
questions answered right and confidently, and the off-topic ones left unanswered, in the same
terms as the evaluation script, in process over the built knowledge base.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from kb.service import KnowledgeBase, to_json
from tests.conftest import DATA
from tests.test_match import right


def set_of(case_id: str) -> str:
    return case_id.rsplit("-", 1)[0] if "-" in case_id else re.match(r"[a-z]*", case_id).group(0)  # type: ignore[union-attr]


def main() -> int:
    kb = KnowledgeBase(Path(sys.argv[1] if len(sys.argv) > 1 else "var/kb.sqlite"))
    figures: dict[str, list[int]] = {}
    for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        answer = to_json(kb.answer(case["q"], case.get("product")))
        got = figures.setdefault(set_of(case["id"]), [0, 0, 0, 0])
        if case.get("abstain"):
            got[2] += not answer["confident"]
            got[3] += 1
        else:
            got[0] += right(answer, case["expect"])
            got[1] += 1
    for name, (ok, answerable, declined, off_topic) in figures.items():
        print(f"{name:8} {ok:3} of {answerable:3} answered" + (f", {declined} of {off_topic} off-topic declined" if off_topic else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

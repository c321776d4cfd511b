"""The matcher on the shipped documents: the project's own labelled cases and the shapes users send."""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from kb.match import ASKS_WHEN, ASKS_WHERE, CONFIDENT, DEFINITION, EDITION_GAP, Matcher, _asks_for, _opens_with, _quoted_parts, _sentences
from kb.products import edition_of_text
from kb.query import clean_query, mask_secrets
from kb.service import KnowledgeBase, to_json
from kb.textnorm import (STOPWORDS, Synonyms, camel_joined, compounds, default_synonyms, hosts, model_names, negated, negation_free,
                         spaced_model_names, specificity, stem, without_runs, words)
from tests.conftest import DATA

CASES = [json.loads(line) for line in (DATA / "cases.jsonl").read_text().splitlines() if line.strip()]
# questions as customers word them, each set written and measured before any change made for it
QUESTIONS = [json.loads(line) for line in (DATA / "questions.jsonl").read_text().splitlines() if line.strip()]


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*`]", "", text.lower())).strip()


def right(payload: dict, expect: list) -> bool:
    if not payload["answers"] or not payload["confident"]:
        return False
    top = norm(payload["answers"][0]["question"] + "\n" + payload["answers"][0]["answer"])
    return any(all(norm(p) in top for p in ([alt] if isinstance(alt, str) else alt)) for alt in expect)


def confident_top(kb: KnowledgeBase, query: str, product: str | None = None) -> str | None:
    """The question of the best answer, if the answer is confident."""
    result = kb.answer(query, product)
    return result.matches[0].entry.question if result.confident and result.matches else None


def confident_answer(kb: KnowledgeBase, query: str, product: str | None = None) -> str:
    """The answer of the best match, if the answer is confident; else the empty string."""
    result = kb.answer(query, product)
    return result.matches[0].entry.answer if result.confident and result.matches else ""


def _scores(kb: KnowledgeBase, cases: list[dict]) -> tuple[float, float]:
    """Top-1 right and confident among answerable cases; not confident among unanswerable ones."""
    answerable = [c for c in cases if not c.get("abstain")]
    unanswerable = [c for c in cases if c.get("abstain")]
    top1 = sum(right(to_json(kb.answer(c["q"], c.get("product"))), c["expect"]) for c in answerable)
    abstained = sum(not kb.answer(c["q"], c.get("product")).confident for c in unanswerable)
    return top1 / len(answerable), abstained / len(unanswerable)


@pytest.mark.parametrize("cases", [CASES, QUESTIONS], ids=["cases", "questions"])
def test_each_labelled_case_has_an_id_of_its_own(cases: list[dict]) -> None:
    # a figure per case (and a change's gains and losses) is told by its id
    ids = Counter(case["id"] for case in cases)
    assert not [i for i, n in ids.items() if n > 1]


@pytest.mark.parametrize(("cases", "top1_target"), [
    # these cases are phrased unlike the documents on purpose; dev-sample targets are higher
    (CASES, 0.9),
    # a floor under the figure measured now (91.1%), to catch a regression
    (QUESTIONS, 0.85),
], ids=["cases", "questions"])
def test_accuracy_on_the_labelled_cases_stays_above_target(kb: KnowledgeBase, cases: list[dict],
                                                           top1_target: float) -> None:
    top1, abstained = _scores(kb, cases)
    assert top1 >= top1_target, f"top-1 {top1:.1%}"
    assert abstained >= 0.9, f"abstained {abstained:.1%}"


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard inside a word: a letter dropped, doubled, swapped with the next or replaced."""
    i = rng.randrange(1, len(word) - 1)
    return rng.choice([
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        word[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[i + 1 :],
    ])


@pytest.mark.parametrize(("cases", "kept_target"), [
    (CASES, 0.95),
    # a floor under the figure measured now (2,250 of 2,305, 97.6%), to catch a regression
    (QUESTIONS, 0.95),
], ids=["cases", "questions"])
def test_a_typo_in_a_labelled_case_keeps_its_answer(kb: KnowledgeBase, cases: list[dict], kept_target: float) -> None:
    # every answerable case that is right as written, with one of its longer words mistyped; a typo
    # that makes another English word ("fond" for "found") cannot be told apart, so not all of them
    rng = random.Random(20261122)
    right_as_written = [c for c in cases if not c.get("abstain")
                        and right(to_json(kb.answer(c["q"], c.get("product"))), c["expect"])]
    variants = []
    for case in right_as_written:
        ws = case["q"].split()
        long = [i for i, w in enumerate(ws) if w.isalpha() and len(w) >= 5]
        if long:
            i = rng.choice(long)
            variants.append((case, " ".join([*ws[:i], _typo(ws[i], rng), *ws[i + 1 :]])))
    kept = [q for case, q in variants if right(to_json(kb.answer(q, case.get("product"))), case["expect"])]
    assert len(variants) >= 40 and len(kept) / len(variants) >= kept_target, sorted({q for _, q in variants} - set(kept))


def test_typos_of_words_only_the_synonym_list_or_a_camel_case_name_writes_are_repaired(kb: KnowledgeBase) -> None:
    # no document writes "yearly" (the synonym list does) or "opencode" (they write "OpenCode")
    assert "annual plan" in kb.answer("is there a yaerly option for coding plan").matches[0].entry.question
    assert "OpenCode" in kb.answer("opencoke request too large").matches[0].entry.question


def test_a_typo_is_repaired_by_the_word_that_keeps_its_first_letter_of_those_as_near(kb: KnowledgeBase) -> None:
    # "anual" is an edit from "annual" and from "manual", which the documents write more often, and which
    # the query's "buy" would choose: typing seldom loses a word's first letter
    repair = kb.matcher._correct
    assert (repair("anual"), repair("regin")) == ("annual", "region")
    assert "annual plan" in (confident_top(kb, "cna I buy anual codign plan") or "")


def test_a_word_the_synonym_list_writes_as_is_stands_for_its_group_alone(kb: KnowledgeBase) -> None:
    # "=allowance" is a limit, and not, by its stem, "allowed"; "=limited" a restriction, but inside
    # "limited-time offer" it stands for the offer alone, neither a limit nor a restriction
    analyse = kb.matcher._analyse
    assert {"limit"} <= analyse("monthly allowance", query=True).terms and "allow" not in analyse("allowance").terms
    assert "restrict" in analyse("limited to one").terms
    assert not {"limit", "restrict"} & analyse("Limited-time offer").terms
    assert confident_top(kb, "lite allowance per 5 hours") == "Pricing and usage"
    assert confident_top(kb, "is my weekly allowance restored on mondays", "coding-plan") == "Refresh rules"


def test_a_three_letter_word_is_repaired_only_by_swapping_neighbours_or_doubling_a_letter_into_a_document_word(
        kb: KnowledgeBase) -> None:
    repair = kb.matcher._correct
    assert (repair("kye"), repair("ulr")) == ("key", "url")
    assert (repair("wek"), repair("htp")) == ("week", "http")  # a doubled letter typed once
    assert (repair("gym"), repair("gmy"), repair("kee")) == ("gym", "gmy", "kee")  # no swap gives a word; English
    assert repair("ful") == "ful"  # English's, though "full" is the documents'
    reset = kb.answer("how to reset my api kye")
    assert reset.confident and "reset the API key" in reset.matches[0].entry.question
    week = kb.answer("wek quota exceeded when does it reset", "coding-plan")
    assert week.confident and "Monday" in week.matches[0].entry.answer


def test_a_short_typo_is_read_by_the_word_a_synonym_phrase_writes_beside_its_neighbour(kb: KnowledgeBase) -> None:
    # "mony" is an edit from the documents' "many" and from "money" of the synonym list's "money back"
    assert kb.matcher._in_context(["get", "my", "many", "back"], ["get", "my", "mony", "back"])[2] == "money"
    assert "non-refundable" in confident_answer(kb, "can i get my mony back for coding plan")
    # a pair the documents write in the plural stays theirs: "credist" beside "more" is their "credits"
    assert "credits" in kb.matcher._in_context(["more", "credit"], ["more", "credist"])
    assert "more credits" in confident_answer(kb, "how do I get more credist", "token-plan")


def test_a_short_typo_is_read_by_the_word_the_documents_write_beside_its_neighbour(kb: KnowledgeBase) -> None:
    in_context = kb.matcher._in_context
    assert in_context(["api", "kee", "provided"]) == ["api", "key", "provided"]
    assert in_context(["token", "pln", "refund"]) == ["token", "plan", "refund"]
    assert in_context(["hou", "allocated", "quota"]) == ["hour", "allocated", "quota"]
    # an English word used less than everyday ones is read so too: neither moths nor pans are topics of the documents
    assert in_context(["moth", "allocated", "quota"]) == ["month", "allocated", "quota"]
    assert in_context(["coding", "pan"]) == ["coding", "plan"]
    # a word of everyday use is read so only where another word of the query is asked beside the repair
    assert in_context(["coding", "plane"]) == ["coding", "plan"]
    assert in_context(["want", "to", "rest"]) == ["want", "to", "rest"]
    # and one no documented neighbour is an edit away from stays itself
    assert in_context(["kee"]) == ["kee"]
    # as does one English writes more often than the word beside the neighbour: "tied" is no typo of "plan tier"
    assert in_context(["coding", "plan", "tied", "to", "a", "region"])[2] == "tied"
    assert confident_top(kb, "incorect api kee provided", "token-plan") == "Incorrect API key provided"


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("can I upgrade my plan (ticket 4411)", "can I upgrade my plan ( )"),
        ("refund please? Case #20391. ref: INC-88231", "refund please? ."),
        ("401 again Sent from my iPhone", "401 again"),
        ("quota question, kind regards, Ana", "quota question"),
        ("quota question -- Bob", "quota question"),
        ("what to do in case 401 comes back", "what to do in case 401 comes back"),  # no case number
        ("Is Lite or Pro faster? thanks in advance!", "Is Lite or Pro faster?"),
        ("refund? any help appreciated, pls advise", "refund?"),
        # a greeting and whom it addresses; words that do not address anyone are the question
        ("Hi support team, which models does token plan support?", "which models does token plan support?"),
        ("Dear Alibaba Cloud support:\nrefund for coding plan", "refund for coding plan"),
        ("Hello Maria - quick question: is Pro faster?", "is Pro faster?"),
        ("Hey coding plan returns 401, why", "Hey coding plan returns 401, why"),
        ("Highest context window?", "Highest context window?"),
        # urgency, and an outage told beside the question, not as it
        ("401 again -- urgent, production is down", "401 again"),
        ("our production app is down since 401", "our production app is down since 401"),
        # a paste fenced as code, or quoted whole; quotes inside are the message's
        ("```text\n401 invalid access token\n```", "401 invalid access token"),
        ('"hour allocated quota exceeded"', "hour allocated quota exceeded"),
        ("'model 'x' is not supported'", "'model 'x' is not supported'"),
        # a mail's subject labels, a chat bot's command and mention; a package's scope and an address stay
        ("Re: Fwd: Subject: refund?", "refund?"),
        ("/ask @support is Pro faster?", "is Pro faster?"),
        ("npm i -g @anthropic-ai/claude-code fails for bob@example.com", "npm i -g @anthropic-ai/claude-code fails for bob@example.com"),
        # a line pasted twice, or a log's retries of one error (their times and ids differ), said once
        ("is Pro faster?\nis Pro faster?", "is Pro faster?"),
        ("2026-05-01 10:00:01 ERROR Connection error\n2026-05-01 10:00:04 ERROR Connection error\nretrying",
         "ERROR Connection error retrying"),
        ("401 again\nstill 401\n401 again", "401 again still 401"),
        # a stack trace's frames, with the source lines under Python's; an "at" that is no frame stays
        ('Traceback (most recent call last):\n  File "/srv/bot.py", line 88, in reply\n    out = client.create(\n'
         '          ^^^^^^^^^^^^^\n  File "/x/_client.py", line 1584, in _request\n    raise self._make_status_error()\n'
         "anthropic.RateLimitError: hour allocated quota exceeded", "anthropic RateLimitError: hour allocated quota exceeded"),
        ("Error: 429 Throttling.AllocationQuota\n    at APIError.generate (/app/node_modules/openai/error.js:66:20)\n"
         "    at async Chat.send (file:///app/dist/chat.mjs:118:17)\n    at /app/x.js:1:2", "Error: 429 Throttling.AllocationQuota"),
        ("java.io.IOException: Connection error\n\tat com.example.Client.send(Client.java:142)\n"
         "\tat java.base/java.net.Socket.connect(Native Method)\n\t... 12 more", "java IOException: Connection error"),
        ("Error at line 5, see the docs (page 3) at 10:00", "Error at line 5, see the docs (page 3) at 10:00"),
        # a terminal's colours, with or without their escape character
        ("\x1b[31mError\x1b[0m: 401 invalid access token", "Error: 401 invalid access token"),
        ("[1;31mERROR[0m quota", "ERROR quota"),
        # a log's lines below warning level beside others, and where each line came from
        ("INFO:openai._base_client:Retrying request to /chat/completions in 0.4 seconds\nError code: 429 - quota",
         "Error code: 429 - quota"),
        ("INFO: all I have\nINFO: is this", "INFO: all I have INFO: is this"),  # nothing else to keep
        ("ERROR:root:curl: (6) Could not resolve host: x", "Could not resolve host: x"),
        ("app-1  | 401 bad\nweb_1 | Connection error", "401 bad Connection error"),
        ("##[error]Connection error", "Connection error"),
        ("Lite | Pro which is faster", "Lite | Pro which is faster"),  # no service's replica number
        # a structured log line's own fields, as JSON or key=value, and a body escaped inside it
        ('{"level": "error", "ts": 1732000000.123, "logger": "llm", "msg": "invalid access token"}', '"invalid access token"'),
        ('time=2026-11-20T10:00:00Z level=error msg="Connection error" caller=main.go:12', '"Connection error"'),
        ('{"msg": "{\\"error\\":{\\"message\\":\\"quota exceeded\\"}}"}', '" "quota exceeded" "'),
        ("what is the reset time: 5 hours?", "what is the reset time: 5 hours?"),
        # a command typed at a prompt and the request `curl -v` shows, before what came back; a retry announced
        ("$ curl -s $BASE_URL/chat/completions -d '{\"model\": \"x\"}'\n401 invalid access token", "401 invalid access token"),
        ("PS C:\\Users\\bob> claude\nConnection error", "Connection error"),
        ("> POST /v1/chat/completions HTTP/1.1\n> Host: api.internal\n>\n< HTTP/1.1 401 Unauthorized\n< content-type: text/plain\n<\n"
         "invalid access token", "HTTP/1.1 401 Unauthorized invalid access token"),
        # a Markdown quote's marks go, the quote stays: "> Error:" is no header sent without a request line above
        ("> Error: 401 invalid access token\nwhat does it mean", "Error: 401 invalid access token what does it mean"),
        ("limit < 5 and > 2", "limit < 5 and > 2"),
        # emoji, bullets and box drawing that mark a line
        ("❌ npm ERR! code EACCES", "npm ERR! code EACCES"), ("⎿  API Error: 401", "API Error: 401"), ("● Is Pro faster?", "Is Pro faster?"),
        ("模型不支持 → qwen", "模型不支持 → qwen"),
        # a list's marks, and a question or exclamation mark said more than once
        ("- curl: (6) Could not resolve host: x", "Could not resolve host: x"), ("1. I use coding plan\n2) I get 401", "I use coding plan I get 401"),
        ("-v flag fails", "-v flag fails"), ("why? ??", "why?"), ("what is Lite ?!", "what is Lite?"),
        ("$5 a month?", "$5 a month?"),
        ("API Error (429 quota) · Retrying in 5 seconds… (attempt 3/10)", "API Error (429 quota)"),
        # a release's number, never what is asked; a model's stays whole
        ("401 on openai==1.54.0 and claude 2.0.14", "401 on openai== and claude"),
        ("qwen3.5-plus or glm-4.7", "qwen3.5-plus or glm-4.7"),
        ('Post "https://x.example/v1": EOF', '"https://x.example/v1": EOF'), ("post your question", "post your question"),
        # an exception's generic package path (a vendor's name stays) and what HTTP libraries say around a status
        ("System.Net.Http.HttpRequestException: Response status code does not indicate success: 404 (Not Found).",
         "HttpRequestException: 404 (Not Found)."),
        ("botocore.errorfactory.ThrottlingException: slow down", "botocore ThrottlingException: slow down"),
        ("requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://x.example/v1",
         "HTTPError: 429 Too Many Requests https://x.example/v1"),
        ("AxiosError: Request failed with status code 401", "AxiosError: 401"),
        # an id's field is a word of its own: "said:" is no "id:"
        ("upstream said: model 'acme-7' not found", "upstream said: model 'acme-7' not found"),
    ],
)
def test_what_a_ticket_wraps_around_the_question_is_dropped(raw: str, text: str) -> None:
    assert clean_query(raw).text == text


def test_a_terminals_colours_do_not_hide_the_product_named() -> None:
    assert clean_query("\x1b[33mtoken plan key returns 401\x1b[0m").product == "token-plan"


def test_a_failed_connection_is_answered_by_the_connection_error_not_by_what_names_its_host(kb: KnowledgeBase) -> None:
    """The host a tool could not reach is where it was pointed: the table of keys and hosts had
    outscored the connection error for it."""
    query = "ERROR agent Could not resolve host: coding-intl.dashscope.aliyuncs.con"
    assert confident_top(kb, query) == "Connection error"
    assert kb.answer(query).product == "coding-plan"  # the host still says whose endpoint it is
    # nor is the path of the URL it was sent to, as Go reports a failed lookup
    go = ('Post "https://coding-intl.dashscope.aliyuncs.com/v1/chat/completions": dial tcp: lookup '
          "coding-intl.dashscope.aliyuncs.com: no such host")
    assert confident_top(kb, go) == "Connection error"


def test_a_commands_name_and_exit_code_before_its_error_are_dropped(kb: KnowledgeBase) -> None:
    """curl reports "curl: (6) ..."; its name had asked about scripts, and the 6 about a value."""
    query = "curl: (6) Could not resolve host: coding-intl.dashscope.aliyuncs.com"
    assert clean_query(query).text == "Could not resolve host: coding-intl.dashscope.aliyuncs.com"
    assert confident_top(kb, query) == "Connection error"
    assert clean_query("retry (3) times: (1) wait").text == "retry (3) times: (1) wait"  # no command heads it
    assert clean_query("error: (429) quota").text == "error: (429) quota"  # exit codes run to 2 digits, statuses to 3


def test_a_pasted_responses_headers_are_dropped_and_a_zero_length_says_it_had_no_body(kb: KnowledgeBase) -> None:
    """`curl -i` shows the status line and headers: the date had asked about weekdays and months."""
    query = "HTTP/2 404\r\ndate: Sat, 21 Nov 2026 10:02:11 GMT\r\nserver: istio-envoy\r\ncontent-length: 0\r\n"
    assert clean_query(query).text == "HTTP/2 404 (no body)"
    assert confident_top(kb, query).startswith("404 status code (no body)")
    assert clean_query("content-length: 1024").text == "content-length: 1024"  # a body was sent
    assert clean_query("the date: Friday").text == "the date: Friday"  # a header stands at a line's start
    assert clean_query("Connection: refused").text == "Connection: refused"  # no header's value


def test_the_tags_of_a_pasted_html_error_page_are_dropped() -> None:
    page = "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>"
    assert clean_query(page).text == "404 Not Found 404 Not Found"
    assert clean_query("model '<your-model>' is not supported").text == "model ' ' is not supported"
    assert clean_query("limit < 5 and > 2").text == "limit < 5 and > 2"  # no tag


@pytest.mark.parametrize("wrapped", [
    "{} (ticket 4411)", "{} urgent, pls advise", "{} thanks in advance!", "{} Sent from my iPhone",
    "{} kind regards, Maria", "{} -- Bob", "{} Case #20391", "Hi support team, quick one: {}",
    "Dear Alibaba Cloud support,\n{}", "Hey Maria - {}", "{} -- urgent, production is down", "```\n{}\n```", '"{}"',
    "Re: Fwd: Subject: {}", "/ask @support {}", "I'm on macOS 14 using the latest version. {}", "We are a small startup using Qwen models for our coding assistant. {}",
    "{0}\n{0}",
    'Traceback (most recent call last):\n  File "/app/main.py", line 42, in <module>\n    resp = client.chat.completions.create('
    'model="qwen3-coder-plus", messages=msgs)\n  File "/usr/lib/python3.12/site-packages/openai/_base_client.py", line 1059, '
    "in request\n    raise self._make_status_error_from_response(err.response) from None\n{}",
    "{}\n    at APIError.generate (/app/node_modules/openai/error.js:66:20)\n    at async Chat.send (file:///app/dist/chat.mjs:118:17)",
    "\x1b[31m{}\x1b[0m", "INFO:openai._base_client:Retrying request to /chat/completions in 0.4 seconds\n{}", "app-1  | {}",
    "$ claude\n{}", "{} · Retrying in 5 seconds… (attempt 3/10)", "⎿  {}", "❌ {}", "> {}",
])
def test_a_ticket_reference_courtesies_or_a_signature_keep_the_answer(kb: KnowledgeBase, wrapped: str) -> None:
    # every answerable case right as written, with what support tickets add around a question ("team" had
    # asked about Team Edition, "quick" about speed, "production" about a product)
    right_as_written = [c for c in CASES if not c.get("abstain") and right(to_json(kb.answer(c["q"])), c["expect"])]
    variants = [(c, wrapped.format(c["q"])) for c in right_as_written]
    kept = [q for c, q in variants if right(to_json(kb.answer(q)), c["expect"])]
    assert len(kept) / len(variants) >= 0.95, sorted({q for _, q in variants} - set(kept))[:20]


def test_a_question_told_with_its_story_is_answered_by_its_question_sentence(kb: KnowledgeBase) -> None:
    """The story's words ("macOS", "latest version") had counted against every answer to the question."""
    story = "I'm on macOS 14 using the latest version. We tried everything. Is coding plan refundable?"
    assert confident_top(kb, story) == confident_top(kb, "Is coding plan refundable?") == "Cancellations and refunds"
    # two questions are no story and a question: neither is answered for both
    assert confident_top(kb, "I'm on macOS 14 using the latest version. Is coding plan refundable? Which models can I use?") is None
    # the fragments of a log line are no sentences ("npm ERR!"), and another service named is not ours
    assert not kb.answer("npm ERR! code EACCES permission denied").confident
    assert not kb.answer("We moved to Mistral last week. Is the refund policy any good?").confident



def test_a_clause_told_on_without_a_full_stop_is_read_as_the_story_around_the_question(kb: KnowledgeBase) -> None:
    assert confident_top(kb, "Coding plan Lite price I already tried restarting") == "Pricing and usage"
    assert confident_top(kb, "when does the weekly coding plan limit reset we need this fixed today") == "Refresh rules"
    # "I" after a function word asks on, and a sentence of its own is split at its full stop only
    assert _sentences("can I use coding plan in cursor") == []
    assert _sentences("We are a startup. How do I stop OpenClaw calling models I never configured?") == [
        "We are a startup.", "How do I stop OpenClaw calling models I never configured?"]
    # a question asked after a comma is the question, what comes before it the story
    assert confident_top(kb, "I paid for the subscription yesterday and changed my mind, can I cancel it",
                         "coding-plan") == "Cancellations and refunds"
    assert _sentences("I paid for it yesterday and changed my mind, can I cancel it") == [
        "I paid for it yesterday and changed my mind", "can I cancel it"]
    assert _sentences("my coding plan key, the one from the console, fails with 401") == []
    # a question whose subject is a thing goes on past the "I" that tells of it: "does a token plan key" is
    # no question of its own, and read alone it was confidently answered by how keys may not be mixed
    assert _sentences("Does a Token Plan key I pasted into a public repo get suspended?") == []
    assert confident_top(kb, "Does a Token Plan key I pasted into a public repo get suspended?") in (
        None, "Can multiple people share one key?")
    # but a part naming nothing but a product asks nothing alone: the story holds the question
    leaked = kb.answer("my api key leaked on github, what do I do for coding plan")
    assert leaked.matches[0].entry.question == "How to reset the API key for Coding Plan?"


@pytest.mark.parametrize("case", [c for c in CASES if c.get("abstain")], ids=lambda c: c["id"])
def test_questions_the_documents_do_not_answer_are_not_confident(kb: KnowledgeBase, case: dict) -> None:
    assert not kb.answer(case["q"]).confident


def test_an_error_that_names_another_services_host_and_no_product_is_not_answered(kb: KnowledgeBase) -> None:
    google = ("429 Too Many Requests: Quota exceeded for quota metric 'Generate Content API requests per minute' "
              "of service 'generativelanguage.googleapis.com'")
    assert not kb.answer(google).confident
    # the documents' own domain, mistyped, is theirs; a product named says whose error it is
    assert confident_top(kb, "Could not resolve host: coding-intl.dashscope.aliyunc.com") == "Connection error"
    assert confident_top(kb, "401 invalid access token, my coding plan tool points at api.openai.com").startswith("401")
    # a tool's own message quoted whole is answered, though it links its vendor's docs
    installer = ("Claude Code has switched from npm to native installer. Run `claude install` or see "
                 "https://docs.anthropic.com/en/docs/claude-code/getting-started for more options.")
    assert "native installer" in confident_top(kb, installer)


@pytest.mark.parametrize("query", ["What is the refund policy for Netflix?", "How do I get a refund from Steam?"])
def test_a_question_naming_another_service_and_no_product_is_not_answered(kb: KnowledgeBase, query: str) -> None:
    # refunds are documented, and scored 0.53; the name no document writes says whose refund is asked
    result = kb.answer(query)
    assert not result.confident and "refund" in result.matches[0].entry.question.lower()


@pytest.mark.parametrize("query", ["how can the account admin give me access to our coding plan key",
                                   "who can grant access to the coding plan api key for my team member"])
def test_access_given_to_an_account_is_a_permission_granted(kb: KnowledgeBase, query: str) -> None:
    # the RAM user's answer: the account owner grants "the Subscription Plans permission"
    assert confident_top(kb, query) == "How can a RAM user view or get the Coding Plan API key?"


@pytest.mark.parametrize(("query", "product"), [
    ("do leftover token plan credits carry forward", None),
    ("will I lose what's left of my seat quota when the month ends", "token-plan"),
    ("token plan credits use it or lose it?", None),
])
def test_credits_kept_or_lost_at_the_months_end_are_credits_carried_over(kb: KnowledgeBase, query: str,
                                                                        product: str | None) -> None:
    # both Token Plan documents: unused credits (quota) do not roll over, or carry over, to the next month
    assert "over to the next month" in confident_answer(kb, query, product)


@pytest.mark.parametrize("query", ["coding plan: TLS handshake failure when connecting to the base url host",
                                   "ssl error calling the token plan hostname",
                                   "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's "
                                   "altnames: Host: coding-intl.dashscope.aliyuncs.co"])
def test_a_tls_failure_on_a_host_is_a_connection_error_on_the_base_urls_domain(kb: KnowledgeBase, query: str) -> None:
    # "The base URL domain is misspelled, or you have a network connection issue": a certificate that does not
    # match the host is the first, a failed handshake the second
    assert confident_top(kb, query) == "Connection error"


@pytest.mark.parametrize("query", ["any way to pay less for coding plan", "can I pay less for my first month of coding plan"])
def test_paying_less_is_a_discount(kb: KnowledgeBase, query: str) -> None:
    # Coding Plan's "Limited-time offer": a 50% off coupon for the first month; users ask to "pay less"
    assert "50% off" in confident_answer(kb, query)


@pytest.mark.parametrize("query", ["If I stop my Coding Plan halfway through the month, do I get anything back?",
                                   "will I get something back if I leave token plan early",
                                   "can I back out of coding plan after paying",
                                   "will token plan have my money returned if I stop using it"])
def test_getting_anything_back_is_a_refund(kb: KnowledgeBase, query: str) -> None:
    # the documents write "non-refundable" and "does not support refunds"; users ask what they "get back"
    assert "refund" in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "said"), [
    ("can my intern use my coding plan key", "must not be shared"),
    ("is it ok to hand my token plan key to a contractor", "personal use only"),
    ("can I pass my coding plan key to a friend", "must not be shared"),
    ("can I run token plan on our server for a chatbot", "application backends"),
    ("coding plan server-side use allowed?", "custom application backends"),
])
def test_people_we_hire_are_other_people_and_a_server_runs_no_coding_tool(kb: KnowledgeBase, query: str,
                                                                          said: str) -> None:
    # an intern or a contractor is someone else, a key handed or passed on is shared, and a program run on a
    # server is an application backend, which the documents forbid
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize("query", [
    "Can my Token Plan key be used by a Slack bot we run on a server?",
    "We built a Slack bot backend that calls the Token Plan Team Edition endpoint, is that ok?",
])
def test_a_bot_in_a_chat_app_is_an_application(kb: KnowledgeBase, query: str) -> None:
    # "Slack", a word no document writes, weighed more than the bot it names, and the restriction on
    # application backends went unsure
    assert "application backends" in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "product", "said"), [
    ("my token plan key leaked, what happens to it", None, "Public exposure or account sharing"),
    ("is my data private", "token-plan", "does not use your conversation data"),
    ("hit the cap on coding plan, what now", None, "After using up your 5-hour or weekly quota"),
    # "hit" alone, words apart from its cap: the limit reached, as "exceed" is
    ("hitting the 5 hour limit every afternoon on coding plan", None, "Wait 5 hours"),
    ("my agent keeps hitting the context ceiling on coding plan, how do I avoid it", None, "start a new session"),
    ("can I get the remainder back if I cancel", "coding-plan", "non-refundable"),
    ("how many tokens fit in glm-5", None, "198,000"),
    # a key in a public repo is exposed, and one shut off is suspended
    ("Does a Token Plan key I pasted into a public repo get shut off?", None, "Public exposure or account sharing"),
    ("why would token plan shut off my key", None, "automatic key suspension"),
])
def test_a_leak_is_exposure_private_is_secure_a_cap_reached_is_exhausted_and_tokens_fit_a_window(
        kb: KnowledgeBase, query: str, product: str | None, said: str) -> None:
    # each had only words no document writes ("leaked", "private", "hit", "remainder back",
    # "tokens fit") where the answer's own are "exposure", "protected", "using up", "refund", "context window"
    assert said in confident_answer(kb, query, product)


@pytest.mark.parametrize(("query", "said"), [
    ("We're a team of five, can we all put the same Coding Plan key into our IDEs?", "must not be shared"),
    ("can all of us use my token plan key", "personal use only"),
    ("Does Token Plan give me the full-precision weights or a compressed model?", "unquantized"),
    ("are the coding plan weights the original ones", "without quantization"),
    ("Will Token Plan quietly start charging my card at list price once the credits are gone?",
     "no automatic fallback to pay-as-you-go"),
    ("does coding plan silently switch to normal rates when the quota is used up", "will not automatically switch"),
    ("weekly counter maxed on coding plan lite, when does it reset", "Resets every Monday"),
])
def test_a_team_is_people_weights_are_precision_list_price_is_pay_as_you_go_and_a_counter_a_limit(
        kb: KnowledgeBase, query: str, said: str) -> None:
    # the documents say "shared", "quantization", "pay-as-you-go", "automatically" and "limit"; users
    # say "a team of five", "weights", "list price", "quietly" and "counter", words no document writes
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "said"), [
    ("openai style endpoint address for the coding subscription", "coding-intl.dashscope.aliyuncs.com/v1"),
    ("is there a way to see how many requests I have left on coding plan", "view your usage on the Coding Plan page"),
    ("are the coding plan models distilled", "without quantization"),
])
def test_an_api_in_a_style_is_compatible_requests_left_are_usage_and_distilled_is_quantized(
        kb: KnowledgeBase, query: str, said: str) -> None:
    # the documents say "OpenAI-compatible", "usage" and "quantization", never "style", "left" or "distilled"
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize("query", ["month quota reset time coding plan", "coding plan monthly quota reset time"])
def test_a_reset_time_named_anywhere_asks_when(kb: KnowledgeBase, query: str) -> None:
    # not opening with "when", it had been answered by the newer document's "Wait for reset or upgrade",
    # which says no time; the older document's row says the hour
    assert "00:00:00 (UTC+8)" in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "product", "said"), [
    ("how long until my limit comes back", "coding-plan", "restored 5 hours after"),
    ("How long until my 5 hour quota is back?", None, "Wait 5 hours"),
    ("how long till the coding plan 5-hour cap frees up", None, "restored 5 hours after"),
])
def test_how_long_until_asks_when_and_names_no_topic(kb: KnowledgeBase, query: str, product: str | None,
                                                     said: str) -> None:
    # "long" and "until" had weighed as topics no refresh rule writes, and the rule went unsure
    assert said in confident_answer(kb, query, product)


@pytest.mark.parametrize("query", ["is coding plan any cheaper for first-time customers",
                                   "can I get coding plan cheaper in my first month"])
def test_cheaper_is_a_discount(kb: KnowledgeBase, query: str) -> None:
    # no document says "cheaper": the word had weighed as a topic of its own, and the first-month coupon went unsure
    assert "50% off" in confident_answer(kb, query)


def test_a_normal_or_regular_key_is_the_standard_one(kb: KnowledgeBase) -> None:
    # the documents say "standard key" and "regular key rejected"; "normal" had weighed as a topic of its own
    said = confident_answer(kb, "does coding plan accept a normal sk- key if I point it at the coding url")
    assert "regular key rejected" in said


@pytest.mark.parametrize("query", ["can a RAM user buy coding plan for himself",
                                   "I'm a RAM user, may I subscribe to coding plan for myself"])
def test_a_pronoun_names_no_topic(kb: KnowledgeBase, query: str) -> None:
    # "himself" and "myself" had weighed as words no document writes, as rare as they are in English,
    # and the RAM user's key, not buying, had led
    assert "RAM users are not supported" in confident_answer(kb, query)


@pytest.mark.parametrize("query", ["when does the weekly limit go back to zero",
                                   "at what time is the coding plan week quota zeroed"])
def test_a_count_going_back_to_zero_is_a_reset(kb: KnowledgeBase, query: str) -> None:
    # "zero" had read as a value, and the weekly reset's hour went unsure or lost to other rows
    said = confident_answer(kb, query, "coding-plan")
    assert "Monday" in said and "00:00:00 (UTC+8)" in said


def test_what_happens_to_it_after_a_story_is_asked_of_the_story(kb: KnowledgeBase) -> None:
    # "what happens to it?" alone is all but "What happens when my quota runs out?"; its "it" is the key
    # the clause before tells of, so the query is read whole, and the answer about a key made public leads
    result = kb.answer("If my key leaks on GitHub, what happens to it?")
    assert result.matches[0].entry.question == "Can multiple people share one key?"
    # a clause that asks its own question still answers alone: "can I cancel it" after a story
    assert "non-cancellable" in confident_answer(
        kb, "I paid for the subscription yesterday and changed my mind, can I cancel it", "coding-plan")


@pytest.mark.parametrize("query", ["where do I find the key for token plan", "where can we get a token plan key"])
def test_where_to_get_a_thing_is_where_the_documents_say_to_obtain_it(kb: KnowledgeBase, query: str) -> None:
    # "get" names nothing alone, so "Get it from the Token Plan page" had only its "key" to be found by
    assert "from the Token Plan page" in confident_answer(kb, query)
    # nor is a table that holds the word "key" the answer to where one is got
    assert confident_top(kb, "where do I get the key", "coding-plan") != "Two Key Types"


@pytest.mark.parametrize(("query", "said"), [
    ("token plan refund policy pls", "does not support refunds"),
    ("what is the refund policy of token plan team edition", "Team Edition subscriptions are non-refundable"),
])
def test_a_policy_is_the_rules(kb: KnowledgeBase, query: str, said: str) -> None:
    # Token Plan's refund answer points to its "Usage rules", the edition's to its "Usage policies": a
    # policy asked of Token Plan had been the edition's, by that word alone
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "product", "said"), [
    ("can I switch to a cheaper tier", "token-plan", "Switching between seat tiers is not supported"),
    ("can I move to a smaller tier", "coding-plan", "Cannot downgrade"),
])
def test_a_cheaper_or_smaller_tier_is_a_downgrade(kb: KnowledgeBase, query: str, product: str, said: str) -> None:
    # the synonym list had "lower tier" and "cheaper plan" but not the tier a user calls cheaper or smaller
    assert said in confident_answer(kb, query, product)


@pytest.mark.parametrize(("query", "said"), [
    ("Pro tier requests per 5 hour window", "6,000"),
    ("how much is the coding plan pro tier per month in dollars", "$50/month"),
])
def test_a_tier_is_a_plan(kb: KnowledgeBase, query: str, said: str) -> None:
    # the documents say "the Pro plan" and write "tier" once, in a note on quota limits by plan tier,
    # which a word that rare made the answer to any question naming a tier
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "product", "said"), [
    ("bought Pro by mistake, wanted Lite, can I switch down now", None, "Cannot downgrade"),
    ("can I get a fresh api key for token plan", None, "Reset button"),
    ("two of us on one subscription, is that ok", "coding-plan", "must not be shared"),
    ("is it ok if my brother uses my token plan", None, "personal use only"),
    ("my balance went negative, does token plan stop", None, "overdue payment"),
    ("token plan rate limited again after a few quick requests", None, "Wait one minute"),
    ("my coworker wants to sign in with my token plan account, ok?", None, "personal use only"),
    ("my token plan key no longer works after I bought it again", None, "the key changes"),
    ("how much of my token plan have I burnt through so far", None, "overall usage"),
    ("seat quota all spent, now what", "token-plan", "shared usage pack"),
    ("coding plan: if I went over the monthly quota, am I charged per call?", None, "will not automatically switch"),
])
def test_asking_in_words_the_documents_do_not_write_finds_their_answer(kb: KnowledgeBase, query: str,
                                                                      product: str | None, said: str) -> None:
    # "switch down" is a downgrade, a fresh key a reset one, "is that ok" asks what the rules allow, a
    # balance gone negative is an overdue one, "rate limited" a rate limit (not a restriction), someone
    # logging in with my account shares it, a key "broken" has failed, "so far" asks nothing, and a
    # quota "all spent" or "gone over" is exhausted
    assert said in confident_answer(kb, query, product)


@pytest.mark.parametrize(("query", "said"), [
    ("context size of minimax m2.5", "MiniMax-M2.5"),
    ("kimi k2.5 thinking budget", "81,920"),
])
def test_a_documented_model_written_apart_is_that_model(kb: KnowledgeBase, query: str, said: str) -> None:
    # people write "MiniMax M2.5" as the vendor does; its parts as words ("m2", "5") weighed little and
    # named nothing, so the model's row went unsure
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize(("typed", "meant"), [
    ("deepsek v3.2 over antropic", "deepseek v3.2 over anthropic"),
    ("context size of minimx m2.5", "context size of minimax m2.5"),
    ("qwen3-codr-plus context window", "qwen3-coder-plus context window"),
])
def test_a_documented_model_mistyped_is_that_model(kb: KnowledgeBase, typed: str, meant: str) -> None:
    # a typo inside the id hid it: its parts weighed as words, the mistyped one as a word no document
    # writes, and "deepsek v3.2 antropic protocl" went unsure where the id typed right is answered
    analyse = kb.matcher._analyse
    assert analyse(typed, query=True).terms == analyse(meant, query=True).terms
    assert kb.matcher.rank(clean_query(typed)).matches[0].entry == kb.matcher.rank(clean_query(meant)).matches[0].entry


def test_documents_naming_no_model_id_join_nothing_written_apart(kb: KnowledgeBase) -> None:
    # an id pattern with no ids must match nothing, not the empty string between two spaces
    plain = [replace(e, question="How do I pay?", answer="Pay by card  or  by invoice.") for e in kb.entries[:3]]
    matcher = Matcher(plain)
    assert matcher.ids_apart.search("pay  by  card") is None
    assert matcher.rank(clean_query("how do I pay  by card")).matches


def test_a_model_run_together_in_an_error_is_left_as_the_name_refused(kb: KnowledgeBase) -> None:
    analyse = kb.matcher._analyse
    assert "glm-5" in analyse("glm 5 context window", query=True).terms
    assert analyse("deepseek v3.2 over anthropic", query=True).terms == analyse("deepseek-v3.2 over anthropic", query=True).terms
    assert "glm-5" not in analyse("model 'glm5' is not supported", query=True).terms
    assert "glm-5.1" in analyse("glm 5.1 context", query=True).terms


@pytest.mark.parametrize(("query", "said"), [
    ("largest thinking budget for kimi-k2.5", "81,920"),
    ("which coding plan model has the largest context", "1,000,000"),
])
def test_the_largest_or_highest_is_the_maximum(kb: KnowledgeBase, query: str, said: str) -> None:
    # the model table's column is "Max Thinking Budget"; users ask for the largest or highest one
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize("query", [
    "how is token plan usage charged per request",
    "how am I billed for each request on token plan",
    "what is token plan charged by",
])
def test_what_a_request_is_charged_by_is_how_credits_are_deducted(kb: KnowledgeBase, query: str) -> None:
    # Token Plan's FAQ tells what a request costs as credits "deducted"; users ask what they are charged per
    assert "input, cached, and output tokens" in confident_answer(kb, query)


@pytest.mark.parametrize("query", ["does token plan slow down during rush hour", "token plan slowdowns at busy times"])
def test_a_slowdown_is_speed(kb: KnowledgeBase, query: str) -> None:
    # the comparison's "Peak-time performance": Token Plan isolates tenants, Coding Plan's requests may queue
    assert confident_top(kb, query) == "What is the difference between Token Plan and Coding Plan?"


@pytest.mark.parametrize(("query", "product", "said"), [
    ("does coding plan run reduced precision models", None, "without quantization"),
    ("is coding plan a stripped-down qwen", None, "without quantization"),
    ("are token plan's models slimmed down versions", None, "unquantized"),
    ("does token plan come with image generation models", None, "qwen-image-2.0"),
    ("why did my seat quota stay the same after renewing in the middle of the cycle", "token-plan", "mid-cycle"),
])
def test_precision_what_a_plan_comes_with_and_the_middle_of_a_cycle(kb: KnowledgeBase, query: str, product: str | None,
                                                                     said: str) -> None:
    # the documents write "quantization", "supported" and "mid-cycle"
    assert said in confident_answer(kb, query, product)


@pytest.mark.parametrize(("query", "product"), [("how is my bill computed", "token-plan"),
                                                ("do output tokens count against my token plan credits", None)])
def test_counted_or_computed_is_calculated(kb: KnowledgeBase, query: str, product: str | None) -> None:
    # "Credit consumption is calculated based on the input, cached, and output tokens in each request"; Team
    # Edition's answer says "depends on the combination of input tokens, cached tokens, and output tokens"
    assert "output tokens" in confident_answer(kb, query, product)


@pytest.mark.parametrize("query", ["which auth method does the api use", "what auth header"])
def test_auth_is_authentication(kb: KnowledgeBase, query: str) -> None:
    # the documents write "Authentication header" and "Authorization: Bearer", users "auth"
    assert "Authorization: Bearer" in confident_answer(kb, query, "token-plan")


@pytest.mark.parametrize("query", ["where do I see my token plan credit balance",
                                   "how do I check my remaining credits on token plan"])
def test_credits_remaining_are_usage_to_view(kb: KnowledgeBase, query: str) -> None:
    # "When do my credits reset?" had taken them: the documents say where to view usage, not "balance"
    assert confident_top(kb, query) == "How can I view my usage?"


@pytest.mark.parametrize("query", ["do pro users get answers faster", "does lite respond slower than pro"])
def test_a_models_answer_is_its_response(kb: KnowledgeBase, query: str) -> None:
    # the documents write "response speed"; "answers", no document's word, had weighed as much as the topic
    assert confident_top(kb, query, "coding-plan") == "Is the response speed the same for Lite and Pro?"


@pytest.mark.parametrize("query", ["How do I get a refund from the App Store?",
                                   "can I get my money back from the Play Store",
                                   "Is there a refund if I cancel Game Pass?"])
def test_capitalised_words_in_a_row_are_a_name_however_common_each_is(kb: KnowledgeBase, query: str) -> None:
    # "App" and "Store" are too common in English to be names alone; written capitalised in a row that no
    # document writes, with a word no document uses, they are a service's name
    assert not kb.answer(query).confident


def test_capitalised_words_the_documents_use_are_no_other_services_name(kb: KnowledgeBase) -> None:
    assert kb.answer("Does buying Coding Plan Pro get a refund?").confident
    assert kb.answer("can I get a refund for Token Plan Team Edition").confident
    assert kb.answer("Does coding plan work inside Visual Studio Code?").confident  # a tool, named with the plan


def test_a_name_two_edits_from_a_document_word_is_another_services(kb: KnowledgeBase) -> None:
    # "Cohere" had been read as a typo of the documents' "coder", and the rate limit row answered it
    assert not kb.answer("Cohere API error: too many requests, rate limit exceeded").confident
    # a product's name mistyped by one edit is still ours
    assert kb.answer("Is Codng Plan refundable?").confident


def test_an_acronym_no_document_writes_names_another_service(kb: KnowledgeBase) -> None:
    """"ECS" is Alibaba Cloud's servers: the discount asked of is theirs, not the plans' first-month coupon,
    which had been given (0.50). "Could", "POST" and "HTTP" are no such names: common words, or the documents'."""
    assert not kb.answer("Does Alibaba Cloud offer a student discount for ECS?").confident
    assert kb.answer("Does coding plan offer a discount for new users?").confident
    assert kb.answer("my POST to the coding plan endpoint returns HTTP 404").confident


@pytest.mark.parametrize("query", ["Gemini API 429 RESOURCE_EXHAUSTED quota exceeded for requests per minute",
                                   "Azure OpenAI 401 Access denied due to invalid subscription key",
                                   "Perplexity API returns 401 invalid api key"])
def test_a_rare_name_opening_the_query_is_another_service(kb: KnowledgeBase, query: str) -> None:
    # any first word is capitalised: only one rare in English and unknown to the documents is a name
    assert not kb.answer(query).confident


@pytest.mark.parametrize(("query", "question"), [
    ("I use Windsurf and get 401 invalid access token or token expired", "401 invalid access token"),
    ("In Zed I keep getting week allocated quota exceeded", "week allocated quota exceeded"),
    ("Roo Code shows model 'qwen3-coder' is not supported", "model 'xxx' is not supported"),
])
def test_a_documented_message_quoted_whole_is_answered_whatever_tool_the_query_names(kb: KnowledgeBase, query: str,
                                                                                   question: str) -> None:
    # (three documents word the 401 message a little differently)
    assert (confident_top(kb, query) or "").startswith(question)


def test_a_python_tracebacks_heading_is_no_part_of_the_query() -> None:
    raw = 'Traceback (most recent call last):\n  File "bot.py", line 12, in <module>\nRateLimitError: quota'
    assert clean_query(raw).text == "RateLimitError: quota"


@pytest.mark.parametrize("query", [
    "Can I get a refund for my Coding Plan in Germany?",  # a product named says whose question it is
    "Conection error when calling the API",  # a typo of a documents' word, at the start: no name
    "Why is my subscription shorter in February?",  # a name the documents write
    "Error: 403 Forbidden - invalid api-key",  # an error's capitals follow a code, not a word
    # where the user runs the tool is no other service
    "I get Connection error in Python", "Connection error on Ubuntu 22.04", "getting 401 invalid access token in Node",
])
def test_a_name_the_documents_write_or_a_product_named_keeps_an_answer(kb: KnowledgeBase, query: str) -> None:
    assert kb.answer(query).confident


def test_where_the_user_runs_the_tool_weighs_little_when_no_document_names_it(kb: KnowledgeBase) -> None:
    """"Python" and "Ubuntu" are in no entry: weighed in full, they had pulled every answer under the bar."""
    alone, told = kb.answer("OAuth token refresh failed"), kb.answer("OAuth token refresh failed on Ubuntu with Python")
    assert told.confident and told.matches[0].entry.id == alone.matches[0].entry.id
    assert not kb.answer("How do I install Python on Windows?").confident  # and what it is about is still asked
    # so does a library a request goes through: "litellm" is where, "x-api-key" what
    assert confident_top(kb, "our litellm gateway gets 401 because it sends x-api-key",
                         "token-plan") == "401 InvalidApiKey: No API-key provided."


def test_the_sdk_a_question_is_asked_from_weighs_little_when_no_document_names_it(kb: KnowledgeBase) -> None:
    """No document says "SDK": weighed in full, it left "which base url ..." unanswered, or answered by the
    "url error" row, which names the base URL less."""
    result = kb.answer("which base url for the openai sdk", product="token-plan")
    assert result.confident
    assert result.matches[0].entry.question == "Which API key and base URL should I use?"


def test_a_query_of_words_most_entries_use_still_gets_the_nearest_entries_unsure(kb: KnowledgeBase) -> None:
    # "coding" and "plan" are in most entries, so they pick no candidates, and "emacs" is in none: the
    # query got no entry at all, where the entry on using the plan in an editor is the nearest help
    result = kb.answer("can I use coding plan with emacs")
    assert not result.confident and result.matches
    assert result.matches[0].entry.question == "How do I use Coding Plan in VS Code?"
    assert not kb.answer("tell me about pizza").matches  # nothing shared with any entry: still nothing


def test_an_error_pasted_as_json_finds_its_template(kb: KnowledgeBase) -> None:
    body = ("openai.BadRequestError: Error code: 400 - {'error': {'message': 'Range of input length should be "
            "[1, 98304]', 'type': 'invalid_request_error', 'code': 'InvalidParameter'}, 'request_id': "
            "'3f1c9d7e-1a2b-4c3d-8e9f-001122334455'}")
    result = kb.answer(body)
    assert result.confident and "Range of input length" in result.matches[0].entry.question


def test_an_error_pasted_again_with_new_ids_is_one_cached_answer_echoing_each_query(built_db: Path) -> None:
    fresh = KnowledgeBase(built_db)  # its own cache, so the counts below are this test's
    bodies = [f'{{"error": {{"message": "hour allocated quota exceeded", "type": "rate_limit"}}, '
              f'"request_id": "{uuid}", "created": {created}}} at 2026-05-0{n}T09:14:3{n}Z with sk-sp-{key}'
              for n, (uuid, created, key) in enumerate([
                  ("3f1c9d7e-1a2b-4c3d-8e9f-001122334455", 1767225600, "a1b2c3d4e5f6a7b8"),
                  ("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", 1767229999, "ffffeeeeddddcccc"),
              ], start=1)]
    first, second = (fresh.answer(body) for body in bodies)
    assert fresh._rank.cache_info().hits == 1
    assert [m.entry.id for m in first.matches] == [m.entry.id for m in second.matches]
    assert "hour allocated quota" in first.matches[0].entry.question
    assert "9a8b7c6d" in to_json(second)["query"] and "3f1c9d7e" not in to_json(second)["query"]
    assert "ffffeeee" not in to_json(second)["query"]
    # the JSON is built once and shared: each call still echoes its own query, and the rest is the
    # same answer the result gives
    one, two = (fresh.respond(body) for body in bodies)
    assert "3f1c9d7e" in one["query"] and "9a8b7c6d" in two["query"] and "ffffeeee" not in two["query"]
    assert one["answers"] == two["answers"] == to_json(second)["answers"]
    assert fresh.respond(bodies[0])["query"] == one["query"]  # the second call left the first's JSON alone


@pytest.mark.parametrize("query", ["0", "000", "429", "2026", "8 \U0004da7c", "7pm", "5h 30min"])
def test_numbers_alone_are_never_a_confident_answer(kb: KnowledgeBase, query: str) -> None:
    assert not kb.answer(query).confident


def test_a_status_alone_names_the_one_error_of_the_product_filed_under_it(kb: KnowledgeBase) -> None:
    assert confident_top(kb, "I got 403", "coding-plan") == "403 invalid api-key"
    assert confident_top(kb, "I got 403", "token-plan") == "I got 401 or 403. Is my API key invalid?"
    assert confident_top(kb, "404", "token-plan") == "Why do I get 404 or connection errors?"
    # two of Token Plan's errors are filed under 429, three of Coding Plan's under 401: no one topic
    assert not kb.answer("429", "token-plan").confident and not kb.answer("401", "coding-plan").confident
    assert not kb.answer("I got 403").confident  # and of no product, each product's 403 is another answer
    # statuses named together name the one question that asks of them all
    assert confident_top(kb, "why do I get 401 or 403", "token-plan") == "I got 401 or 403. Is my API key invalid?"
    assert not kb.answer("401 or 403", "coding-plan").confident  # no one question of Coding Plan's asks of both


def test_a_time_or_amount_no_document_names_weighs_as_a_value_not_as_an_unknown_word(kb: KnowledgeBase) -> None:
    assert kb.matcher._weight(frozenset({"7pm"})) == kb.matcher._weight(frozenset({"7319"})) < 1
    result = kb.answer("I activated coding plan at 7pm but got a pay-as-you-go bill for calls at 4pm")
    assert result.confident and "still charged" in result.matches[0].entry.question


def test_a_concrete_value_fills_a_placeholder(kb: KnowledgeBase) -> None:
    query = "model 'Qwen3-Coder-Plus' is not supported"
    assert confident_top(kb, query, "coding-plan") == "model 'xxx' is not supported"


def test_a_model_id_named_outside_the_message_is_the_name_it_quotes(kb: KnowledgeBase) -> None:
    # the id, weighing most of the query, found the model tables that write it
    query = "qwen3-coder-plus on token plan says model not found"
    assert confident_top(kb, query) == "model 'xxx' not found or not supported"
    # an id with no error about it is asked about
    assert kb.answer("qwen3-coder-plus context window").matches[0].entry.question != "model 'xxx' is not supported"


@pytest.mark.parametrize("query", ["can one account hold two coding plan subscriptions",
                                   "can I have two coding plan subscriptions on one account"])
def test_a_topic_heading_is_asked_no_more_than_its_words_are_the_querys(kb: KnowledgeBase, query: str) -> None:
    # "Subscribe to a coding plan" was all asked by "subscriptions", one word of five
    result = kb.answer(query)
    assert result.confident
    assert result.matches[0].entry.question.startswith(("How many Coding Plan subscriptions", "How many Coding Plans"))


@pytest.mark.parametrize(("query", "expect"), [
    ("does alibaba use my prompts to train models with token plan", "How is my data protected?"),
    ("will team edition train its models on my prompts", "How is data security ensured?"),
])
def test_a_short_answer_says_what_its_entry_is_asked(kb: KnowledgeBase, query: str, expect: str) -> None:
    # "Token Plan does not use your conversation data for model training" is all the entry says; its
    # question names neither training nor prompts, so the query's words counted as found, not asked
    assert confident_top(kb, query) == expect


def test_the_product_given_decides_between_two_answers_to_one_error(kb: KnowledgeBase) -> None:
    coding = kb.answer("invalid access token or token expired", "coding-plan").matches[0].entry
    token = kb.answer("invalid access token or token expired", "token-plan").matches[0].entry
    assert coding.product == "coding-plan" and token.product == "token-plan"
    assert "token-plan.ap-southeast-1" in token.answer and "coding-intl" not in token.answer


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("token plan invalid access token or token expired", "token-plan-faq.txt"),
        ("what happens when my token plan quota runs out", "token-plan-faq.txt"),
        ("token plan team edition: invalid access token or token expired", "token-plan-team-edition-faq.txt"),
        ("my team's token plan quota ran out, what happens", "token-plan-team-edition-faq.txt"),
    ],
)
def test_an_editions_entry_ties_below_the_products_own_unless_the_edition_is_asked_for(
        kb: KnowledgeBase, query: str, document: str) -> None:
    first, second = kb.answer(query).matches[:2]
    assert {first.entry.document, second.entry.document} == {
        "token-plan-faq.txt", "token-plan-team-edition-faq.txt"}  # the same answer in both documents
    assert first.entry.document == document
    # unasked, the two tie and the product's own goes first; an edition named in full is also held by
    # each of its document's entries, so its entry may score higher outright
    assert first.score == second.score if document == "token-plan-faq.txt" else first.score >= second.score


@pytest.mark.parametrize(("query", "question"), [
    # the edition's list is shorter (no deepseek-v4-pro), its deduction rules in other words: each
    # scored a little above the plan's own entry, by less than EDITION_GAP
    ("which deepseek models does token plan support", "Which text generation models are supported?"),
    ("How are token plan credits consumed?", "How are credits deducted?"),
])
def test_an_editions_entry_must_score_clearly_higher_to_go_first_unasked(kb: KnowledgeBase, query: str,
                                                                        question: str) -> None:
    top = kb.answer(query).matches
    assert top[0].entry.question == question and top[0].entry.document == "token-plan-faq.txt"
    edition = next(m for m in top if m.entry.document == "token-plan-team-edition-faq.txt")
    assert top[0].score <= edition.score < top[0].score + EDITION_GAP  # the case the gap is for


@pytest.mark.parametrize(("query", "question"), [
    # the edition's entry does not repeat the name; the one question that does must not win by it
    ("What image models can I use with token plan team edition?", "What image generation models are supported?"),
    ("how is token plan team edition different from coding plan",
     "What is the difference between Token Plan Team Edition and Coding Plan?"),
    # and held in each of its answers: "team edition" counted for the entries that write it only
    ("Does team edition quota roll over?", "How does usage reset work?"),
])
def test_an_editions_name_is_asked_in_each_question_of_its_document(kb: KnowledgeBase, query: str, question: str) -> None:
    top = kb.answer(query)
    assert top.confident and top.matches[0].entry.question == question
    assert top.matches[0].entry.document == "token-plan-team-edition-faq.txt"


def test_an_edition_named_in_full_is_answered_by_its_document_unless_the_products_entry_is_clearly_better(
        kb: KnowledgeBase) -> None:
    # Token Plan's "When do my credits reset?" shares "credits" with the query and scores higher; the
    # edition's own answer ("Unused quota does not carry over") is within EDITION_NAMED of it
    ranked = kb.matcher.rank(clean_query("will leftover Team Edition credits carry over into next month"), None, 6)
    top = ranked.matches[0]
    assert top.entry.document == "token-plan-team-edition-faq.txt" and top.entry.question == "How does usage reset work?"
    # an error the edition's document does not list is still the product's own answer
    top = kb.answer("Token Plan Team Edition: Range of max_tokens should be [1, 8192]").matches[0]
    assert top.entry.document == "token-plan-faq.txt" and "max_tokens" in top.entry.question


def test_a_message_an_answer_opens_by_listing_is_found_in_a_paste_unless_an_error_row_is_that_message(
        kb: KnowledgeBase) -> None:
    m = kb.matcher
    listed = [(m.entries[t.entry].question, t.status or "", [s for s in t.tokens if s], t.needs_status)
              for t in m.templates
              if m.entries[t.entry].kind != "error" and m.entries[t.entry].question.startswith(("Why do I get 404", "I got 401"))]
    # "If you get 404 status code (no body), endpoint not found, or connection errors, ...": the first
    # and last are Coding Plan's 404 row and every plan's Connection error; "If you see 401 invalid
    # access token, InvalidApiKey, or 403 invalid api-key" names rows only. Of those rows, Coding Plan's
    # 404 and 403 are no row of Token Plan's, whose own rows file "invalid api-key" under 401: those
    # two are found where the query names their status
    assert sorted(listed) == [
        ("I got 401 or 403. Is my API key invalid?", "403", ["invalid", "api", "key"], True),
        ("Why do I get 404 or connection errors?", "", ["endpoint", "not", "found"], False),
        ("Why do I get 404 or connection errors?", "404", ["status", "code", "no", "bodi"], True),
    ]
    top = kb.answer("Error: endpoint not found (POST /v1/chat/completions)")
    assert top.confident and top.matches[0].entry.question == "Why do I get 404 or connection errors?"


@pytest.mark.parametrize("query", ["openclaw is connected but answers never come back",
                                   "OpenClaw says connected, yet nothing comes back"])
def test_a_reply_that_never_comes_is_no_response_not_a_quota_restored(kb: KnowledgeBase, query: str) -> None:
    # "come back" alone is a quota restored; "never come back" said of answers is a chat that hangs
    top = kb.answer(query)
    assert top.confident and top.matches[0].entry.question.startswith(
        "What should I do if OpenClaw shows as connected but the chat has no response")


@pytest.mark.parametrize("query", ["once my coding plan quota is exhausted do I get billed per token",
                                   "after the quota is used up am I charged per token",
                                   "once my coding plan quota is gone will it just bill me per token"])
def test_billing_per_token_is_pay_as_you_go(kb: KnowledgeBase, query: str) -> None:
    # "billed" alone is a charge, which the quota-runs-out entry's neighbours share; per token it is the
    # billing the plan's quota does not fall back to
    top = kb.answer(query)
    assert top.confident and top.matches[0].entry.question.startswith("Will my usage switch to pay-as-you-go")


@pytest.mark.parametrize("query", ["do I lose the rest of my credits at the end of the month on token plan",
                                   "what happens to leftover token plan credits"])
def test_credits_left_over_are_asked_as_unused(kb: KnowledgeBase, query: str) -> None:
    assert confident_top(kb, query) == "When do my credits reset?"


@pytest.mark.parametrize("query", ["are my prompts sent outside my country with coding plan",
                                   "Do my prompts and code leave the country when I use Coding Plan?"])
def test_data_sent_abroad_is_asked_as_transferred_across_borders(kb: KnowledgeBase, query: str) -> None:
    # the one entry that says so is the overview's opening, where the prompts are "your inputs and outputs"
    assert "transferred across borders" in confident_answer(kb, query)


LIST = {"Which image generation models are supported?", "What image generation models are supported?"}


@pytest.mark.parametrize(("query", "questions"), [
    # both kinds of entry hold every word asked; "which" asks for the list, not whether image models can be used
    ("which image models does token plan have", LIST),
    ("which models can make pictures on token plan", LIST),
    # and "can" asks whether, not what the difference is
    ("can the team edition key be used with coding plan",
     {"Can the Token Plan Team Edition API Key be used with other plans or general-purpose APIs?"}),
])
def test_a_question_asking_for_a_list_prefers_the_entry_that_gives_one(kb: KnowledgeBase, query: str,
                                                                       questions: set[str]) -> None:
    top = kb.answer(query)
    assert top.confident and top.matches[0].entry.question in questions


@pytest.mark.parametrize("query", ["coding plan openai compatible base url", "openai compatible endpoint for coding plan"])
def test_a_query_asking_for_a_base_url_is_answered_by_an_entry_that_gives_one(kb: KnowledgeBase, query: str) -> None:
    # "Impact on qwencloud/qwencloud-ai Scripts" holds every word (OpenAI-compat, endpoint) and no URL
    top = kb.answer(query)
    assert top.confident and "coding-intl.dashscope.aliyuncs.com/v1" in top.matches[0].entry.answer


@pytest.mark.parametrize(("text", "kind"), [
    ("Which models?", "what"), ("what is the base url", "what"), ("Can I get a refund?", "yes"),
    ("Does Coding Plan have an annual plan?", "yes"), ("What should I do if OpenClaw shows X?", None),
    ("What happens when my quota runs out?", None), ("How do I reset my key?", None), ("refund", None),
    ("Hi, which models?", "what"), ("hey - can I get a refund", "yes"), ("so what should I do", None),
])
def test_what_a_question_asks_for_is_read_from_its_opening(text: str, kind: str | None) -> None:
    assert _asks_for(text) == kind


def test_a_document_is_about_an_edition_when_most_of_its_product_names_carry_it() -> None:
    team = edition_of_text("Token Plan Team Edition FAQ. Token Plan Team Edition seats. Token Plan credits.", "token-plan")
    assert team is not None and team.name == "Team Edition"
    assert edition_of_text("Token Plan FAQ. Token Plan Team Edition is sold separately.", "token-plan") is None
    assert edition_of_text("Coding Plan Team Edition.", None) is None


@pytest.mark.parametrize(
    ("query", "product"),
    [
        ("my sk-sp-12345678abcdef key returns 401", "coding-plan"),
        ("POST https://coding-intl.dashscope.aliyuncs.com/v1/chat/completions 404", "coding-plan"),
        ("calling https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1 fails", "token-plan"),
        ("Is Token Plan refundable?", "token-plan"),
        ("can I mix coding plan and token plan keys", None),
        ("is a tokn plan refundable", "token-plan"),  # named with a typo, read once typos are repaired
        ("refund for my codng paln", "coding-plan"),
        ("how many coding plans can one account hold", "coding-plan"),  # named in the plural
        ("my code plan requests stopped after 5 hours", "coding-plan"),  # named as its users shorten it
        ("are token plans refundable", "token-plan"),
        ("Connection error", None),
        # a product named outweighs another product's host quoted: the user has a Token Plan key and
        # used the wrong host
        ("my token plan key on coding-intl.dashscope.aliyuncs.com gives 403", "token-plan"),
        ("coding plan key sent to token-plan.ap-southeast-1.maas.aliyuncs.com", "coding-plan"),
        # an edition by its full name is sold by one product; a product named outweighs it
        ("deepseek-v3.2 through the anthropic endpoint on team edition fails", "token-plan"),
        ("can the team edition key be used with coding plan", "coding-plan"),
        # a tier's name is the weakest clue: only Coding Plan sells Lite and Pro, but a model's
        # variant is no tier, and a product named outweighs it
        ("Can I switch from Pro back to Lite?", "coding-plan"),
        ("is qwen image 2.0 pro supported", None),
        ("is qwen-image-2.0-pro supported", None),
        ("token plan is too slow, is there a pro option", "token-plan"),
        # nor is a tier's name run into a tool's CamelCase name: LiteLLM is no Lite plan
        ("LiteLLM: BadRequestError: DashscopeException - url error, please check url!", None),
        ("ProxyPro timeout calling the coding plan endpoint", "coding-plan"),
    ],
)
def test_the_product_is_inferred_from_what_the_query_says(kb: KnowledgeBase, query: str, product: str | None) -> None:
    payload = to_json(kb.answer(query))
    assert payload["product"] == product
    assert payload["product_inferred"] is (product is not None)


def test_secrets_are_masked_in_the_echoed_query() -> None:
    raw = "401 with key sk-sp-a1b2c3d4e5f6g7h8 and sk-0123456789abcdef and Bearer eyJhbGciOi.abc"
    masked = mask_secrets(raw)
    assert "a1b2c3d4e5f6g7h8" not in masked and "0123456789abcdef" not in masked and "eyJhbGciOi" not in masked
    assert "sk-sp-****" in masked and "sk-****" in masked
    assert clean_query(raw).original == masked


def test_newer_document_wins_and_the_answer_says_which_it_overrules(kb: KnowledgeBase) -> None:
    payload = to_json(kb.answer("glm-5 context window size"))
    top = payload["answers"][0]
    assert top["source"]["document"] == "coding-plan-vs-standard-key.md" and "198,000" in top["answer"]
    assert any("coding-plan-faq.txt (2026-03-05)" in note for note in payload["notes"])
    assert payload["conflicts"][0]["source"]["document"] == "coding-plan-faq.txt"


def test_an_error_both_products_document_gets_each_products_answer_when_none_is_named(kb: KnowledgeBase) -> None:
    payload = to_json(kb.answer("Error: 401 invalid access token or token expired"))
    assert payload["confident"] and payload["product"] is None
    assert payload["answers"][0]["product"] == "coding-plan"
    others = payload["other_products"]
    assert [o["product"] for o in others] == ["token-plan"]
    assert others[0]["question"] == "invalid access token or token expired"
    assert others[0]["id"] in [a["id"] for a in payload["answers"]]  # in place of a third copy of Coding Plan's
    assert "Token Plan answers it otherwise (token-plan-faq.txt, line 60): ask with product=token-plan" in payload["notes"][-1]
    # with room for one answer, the note still says the other product answers otherwise
    one = to_json(kb.answer("Error: 401 invalid access token or token expired", limit=1))
    assert len(one["answers"]) == 1 and [o["product"] for o in one["other_products"]] == ["token-plan"]
    # a product named or chosen decides alone
    assert not kb.answer("token plan says invalid access token or token expired").other_products
    assert not kb.answer("invalid access token or token expired", product="token-plan").other_products


@pytest.mark.parametrize("query", ["hour allocated quota exceeded",  # Token Plan's nearest scores 0.69
                                   "How do I configure nginx as a reverse proxy?"])  # no answer, nothing to add
def test_no_other_product_is_named_unless_it_answers_about_as_well(kb: KnowledgeBase, query: str) -> None:
    payload = to_json(kb.answer(query))
    assert payload["other_products"] == [] and not any("ask with product" in n for n in payload["notes"])


def test_a_question_two_documents_of_a_product_ask_alike_is_answered_once(kb: KnowledgeBase) -> None:
    # the FAQ and the overview both list "hour allocated quota exceeded"; the team edition's document
    # and Token Plan's own both list "Connection error", about two editions: both stay
    asked = [(m.entry.product, m.entry.edition, m.entry.question) for m in kb.answer("hour allocated quota exceeded").matches]
    assert asked[0][2] == "hour allocated quota exceeded" and len(set(asked)) == len(asked) == 3
    token = kb.answer("Connection error", product="token-plan", limit=5).matches
    assert [m.entry.document for m in token if m.entry.question == "Connection error"] == [
        "token-plan-faq.txt", "token-plan-team-edition-faq.txt"]


def test_of_messages_found_whole_and_tied_the_longest_goes_first(kb: KnowledgeBase) -> None:
    # the FAQ's full message and a table's "401 invalid access token" are both in the query, both score 1
    top = kb.answer("401 invalid access token or token expired").matches[0]
    assert top.score == 1.0 and top.entry.question == "401 invalid access token or token expired"


def test_an_editions_document_does_not_overrule_the_products_own(kb: KnowledgeBase) -> None:
    # both list models, not the same ones: they describe two editions, neither is out of date
    result = kb.answer("which glm models are in token plan")
    assert result.confident and result.matches[0].entry.question == "Which text generation models are supported?"
    assert result.matches[0].entry.document == "token-plan-faq.txt" and not result.conflicts
    assert not kb.answer("does token plan support image generation").conflicts


def test_agreeing_documents_keep_the_best_match_and_add_no_note(kb: KnowledgeBase) -> None:
    payload = to_json(kb.answer("week allocated quota exceeded"))
    assert "Monday" in payload["answers"][0]["answer"]
    assert all("hour/week/month" not in c["question"] for c in payload["conflicts"])


def test_entries_that_share_no_fact_do_not_overrule_each_other(kb: KnowledgeBase) -> None:
    # "Cost Risk Scenarios" (newer document) and "Pricing and usage" both hold "cost", but say
    # nothing about the same models or figures: the better match stays first and nothing is noted
    payload = to_json(kb.answer("what does coding plan cost"))
    assert payload["answers"][0]["question"] == "Pricing and usage"
    assert payload["notes"] == [] and payload["conflicts"] == []


def test_the_numbers_of_a_numbered_list_are_no_shared_fact(kb: KnowledgeBase) -> None:
    # the FAQ's "Why am I still charged ...?" and the newer "Cost Risk Scenarios" both number their
    # points 1, 2, ...; they state no figure or model id in common, so the better match stays first
    payload = to_json(kb.answer("signed up for coding plan on monday, yet my bill lists charges for calls my script made, "
                                "am I paying twice?"))
    assert payload["answers"][0]["question"].startswith("Why am I still charged")
    assert payload["conflicts"] == []


def test_a_newer_entry_that_says_less_about_another_question_overrules_nothing(kb: KnowledgeBase) -> None:
    # the FAQ's "What to do when my quota runs out?" (dated) names the 5-hour window; "Refresh rules"
    # (undated) gives the window and the reset times: more, not otherwise, so the better match stays
    payload = to_json(kb.answer("what time does the monthly quota refresh"))
    assert payload["answers"][0]["question"] == "Refresh rules"
    assert payload["conflicts"] == []


def test_scores_are_ordered_and_bounded(kb: KnowledgeBase) -> None:
    matches = kb.answer("how do I check my usage", limit=10).matches
    assert len(matches) == 10
    scores = [m.score for m in matches[1:]]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert 0 < CONFIDENT < 1


def test_model_ids_are_read_from_text_of_any_length() -> None:
    assert compounds("Use qwen3-coder-plus or glm-4.7, not x_1.") == ["qwen3-coder-plus", "glm-4.7", "x_1"]
    # a run of joined parts far longer than any id is not one (and is read in linear time)
    assert compounds("glm-4.7 " + "x.y" * 40_000 + " kimi-k2.5") == ["glm-4.7", "kimi-k2.5"]


def test_unknown_words_weigh_by_how_much_they_say(kb: KnowledgeBase) -> None:
    # words no document uses: an everyday topic word says the documents may not cover the query,
    # one of the commonest English words ("again") says less than a word the documents answer about
    weight = kb.matcher._weight
    assert weight(frozenset({"pizza"}), specificity("pizza")) > 1.5 * weight(frozenset({"again"}), specificity("again"))
    assert weight(frozenset({"again"}), specificity("again")) < weight(frozenset({"refund"}), specificity("refund"))


def test_an_everyday_word_no_document_uses_weighs_less_in_a_query_about_a_product(kb: KnowledgeBase) -> None:
    weight = kb.matcher._weight
    lots, pizza = (frozenset({"lot"}), specificity("lots")), (frozenset({"pizza"}), specificity("pizza"))
    # about none of the products, any such word may say the query is another service's question
    assert weight(*lots) == weight(*pizza)
    # about one of them, it says as much as it is rare in English (Zipf 4.9 and 4.4)
    assert weight(*lots, ours=True) < weight(*pizza, ours=True) < weight(*pizza)


def test_asking_an_entrys_question_about_something_else_is_not_an_answer(kb: KnowledgeBase) -> None:
    # both ask all of "Can I get a refund?"; only one of them is about what the documents cover
    assert kb.answer("can I get my money back?").confident
    assert not kb.answer("can I get my money back for a flight").confident


def test_a_camel_case_error_name_the_documents_never_write_counts_as_its_words(kb: KnowledgeBase) -> None:
    # "DataInspectionFailed" is read as "data inspection failed"; the joined word adds no unknown weight
    joined = kb.answer("DataInspectionFailed: input data may contain inappropriate content").matches[0]
    spaced = kb.answer("data inspection failed: input data may contain inappropriate content").matches[0]
    assert joined.entry.id == spaced.entry.id and joined.score == pytest.approx(spaced.score, abs=0.05)


def test_host_names_are_read_whole_and_blanked_whole() -> None:
    text = "POST https://coding-intl.dashscope.aliyuncs.com/v1 failed; see www.qwencloud.com. openai.RateLimitError, glm-4.7"
    assert hosts(text) == ["coding-intl.dashscope.aliyuncs.com", "qwencloud.com"]
    assert without_runs(text, set(hosts(text))) == "POST https:// /v1 failed; see  . openai.RateLimitError, glm-4.7"


@pytest.mark.parametrize("query", ["Could not resolve host: coding-intl.dashscope.aliyuncs.com",
                                   "getaddrinfo ENOTFOUND coding-intl.dashscope.aliyuncs.com"])
def test_a_pasted_host_is_one_thing_the_query_names_not_five_words(kb: KnowledgeBase, query: str) -> None:
    # read as its words (coding, intl, dashscope, aliyuncs, com), the host outweighed the failure
    # and found "404 status code (no body)" and "Key Type x Endpoint", whose answers write it
    assert confident_top(kb, query) == "Connection error"


def test_an_acronym_in_the_plural_is_one_word() -> None:
    # "URLs" had been split as "UR Ls", like "HTTPError" as "HTTP Error", and so met no "urls" synonym
    assert words("base URLs, APIs and IDEs") == ["base", "urls", "apis", "and", "ides"]
    assert words("HTTPError from DashScope") == ["http", "error", "from", "dash", "scope"]


def test_a_number_is_one_word_however_it_is_written() -> None:
    # "90,000" had been two words, "90" and "000", so "90000 requests" met neither and "000" met every
    # large number; a list or a range keeps its numbers apart
    assert words("Up to 90,000 requests") == words("up to 90000 requests") == words("up to 90k requests")
    assert words("1,000,000 tokens") == ["1000000", "tokens"]
    assert words("Range of input length should be [1, 200]") [-2:] == ["1", "200"]
    assert words("kimi-k2.5 at 2.5k") == ["kimi", "k2", "5", "at", "2", "5k"]


def test_a_number_typed_without_its_commas_finds_the_one_written_with_them(kb: KnowledgeBase) -> None:
    # the plan that has it, not the overview's "Up to 90,000 requests per month" which names no plan
    assert confident_top(kb, "which coding plan has 90000 requests a month") == "Pricing and usage"
    assert "256,000" in confident_answer(kb, "is kimi-k2.5 context 256k")


@pytest.mark.parametrize(("query", "said"), [
    ("Do I lose whatever credits I didn't use in my Token Plan this month?", "Unused credits do not roll over"),
    ("what happens to token plan credits I haven't used by the end of the month", "Unused credits do not roll over"),
    ("token plan team edition quota we did not use this month, is it gone?", "Unused quota does not carry over"),
])
def test_what_was_not_used_is_unused(kb: KnowledgeBase, query: str, said: str) -> None:
    assert said in confident_answer(kb, query)


def test_several_ides_are_several_tools(kb: KnowledgeBase) -> None:
    assert "same API Key across all compatible" in confident_answer(kb, "Can one team edition key be used in several IDEs?")


@pytest.mark.parametrize(("query", "product"), [
    ("what if I pay late", "token-plan"),
    ("I missed a payment, does token plan stop working", None),
])
def test_paying_late_is_an_overdue_payment(kb: KnowledgeBase, query: str, product: str | None) -> None:
    assert "prepaid subscription" in confident_answer(kb, query, product)


@pytest.mark.parametrize("text", ["a GitHub Action", "a github action"])
def test_a_camel_case_variant_matches_as_written_and_in_lower_case(text: str) -> None:
    # "GitHub" is read as "git hub", and users also type "github": the list writes the name once
    syn = Synonyms([("script", ["GitHub Action"])])
    ws = words(text)
    assert [target for _, _, target in syn.canonical(ws, [stem(w) for w in ws])] == ["script"]


@pytest.mark.parametrize("query", ["can I use it in github actions", "can I run it in a GitHub workflow",
                                   "is a GitLab CI job allowed"])
def test_a_ci_service_named_is_a_script(kb: KnowledgeBase, query: str) -> None:
    # the restriction reads "automated scripts or application backends"; "GitHub" is read as "git hub",
    # as the synonym list's own "GitHub Action" is
    assert "automated scripts" in kb.answer(query, "token-plan").matches[0].entry.answer


@pytest.mark.parametrize("query", ["TypeError: fetch failed",
                                   "fetch failed: getaddrinfo ENOTFOUND coding-intl.dashscope.aliyuncs.co",
                                   "Error: connect ETIMEDOUT token-plan.ap-southeast-1.maas.aliyuncs.com:443",
                                   "Error: read ECONNRESET"])
def test_a_failed_fetch_is_a_connection_error(kb: KnowledgeBase, query: str) -> None:
    # Node's fetch, which Claude Code, Cline and OpenCode use, reports a failed connection as "fetch failed",
    # and its socket's as ETIMEDOUT or ECONNRESET
    assert confident_top(kb, query) == "Connection error"


def test_a_refused_connection_alone_is_no_documented_error(kb: KnowledgeBase) -> None:
    # ECONNREFUSED is left out of the synonyms: refused connections are mostly to a local database or
    # cache, and the address is blanked as noise, so nothing tells them from the API's
    assert confident_top(kb, "Error: connect ECONNREFUSED 127.0.0.1:5432") is None


def test_a_host_mistyped_in_its_ending_is_still_the_documented_host(kb: KnowledgeBase) -> None:
    # ".con" is no ending the host pattern knows: read as five words, the host found the 404 entry
    read = kb.matcher._analyse("Could not resolve host: coding-intl.dashscope.aliyuncs.con", query=True)
    assert "coding-intl.dashscope.aliyuncs.com" in read.terms and "con" not in read.words
    top = kb.answer("curl: (6) Could not resolve host: coding-intl.dashscope.aliyuncs.con")
    assert top.matches[0].entry.question == "Connection error"
    # a dotted run far from every documented host is left as it is written
    assert "example" in kb.matcher._analyse("see docs.example.internal", query=True).words


def test_a_hosts_first_label_alone_is_the_documents_short_name_for_the_host(kb: KnowledgeBase) -> None:
    labels = kb.matcher.host_labels.names
    assert labels["coding-intl"] == "coding-intl.dashscope.aliyuncs.com"
    assert "token-plan" not in labels  # the product's name, not a host's
    # a host's leading labels are no model id of their own: the host would weigh twice
    pasted = kb.matcher._analyse("POST https://token-plan.ap-southeast-1.maas.aliyuncs.com/v1 400", query=True)
    assert pasted.compounds == ["token-plan.ap-southeast-1.maas.aliyuncs.com"]
    read = kb.matcher._analyse("sk- key on the coding-intl endpoint returns 401", query=True)
    assert "coding-intl.dashscope.aliyuncs.com" in read.terms and "intl" not in read.words
    # the entry writing only "Script/curl calling coding-intl" holds the host the query pastes whole
    query = ("curl to https://coding-intl.dashscope.aliyuncs.com/v1/chat/completions with my sk-sp key "
             "says only available for Coding Agents")
    assert confident_top(kb, query) == "Coding Plan is currently only available for Coding Agents"


def test_a_pasted_error_bodys_message_outweighs_the_labels_it_is_filed_under(kb: KnowledgeBase) -> None:
    body = '{"error":{"message":"hour allocated quota exceeded","type":"insufficient_quota","code":"Throttling.AllocationQuota"}}'
    assert clean_query(body).message == "hour allocated quota exceeded"
    assert clean_query(f"{body}\n{body}").message == "hour allocated quota exceeded"  # a retry's body, said once
    # JavaScript prints an error's body with bare keys (axios, util.inspect)
    axios = ("AxiosError: Request failed with status code 401\n  data: { error: { message: 'invalid access token or token "
             "expired', type: 'invalid_request_error' } }")
    assert clean_query(axios).message == "invalid access token or token expired"
    assert confident_top(kb, axios) == "401 invalid access token or token expired"
    # what .NET and requests say around a status they got
    assert "base URL path" in kb.answer(
        "System.Net.Http.HttpRequestException: Response status code does not indicate success: 404 (Not Found).",
        "coding-plan").matches[0].entry.answer
    assert confident_top(kb, "requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: "
                             "https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1") == \
        "429 API-Key Requests rate limit exceeded"
    # the type and code are Token Plan's error row word for word, and every quota error's labels
    assert confident_top(kb, body) == "hour allocated quota exceeded"
    # without a message the labels are the error
    assert kb.answer("429 Throttling.AllocationQuota insufficient_quota").matches[0].entry.question == \
        "429 Throttling.AllocationQuota / insufficient_quota"


def test_a_model_id_the_documents_write_is_one_term_not_its_parts(kb: KnowledgeBase) -> None:
    read = kb.matcher._analyse("model not supported qwen3-coder-plus", query=True)
    assert "qwen3-coder-plus" in read.terms and not {"qwen3", "coder", "plus"} & set(read.words)
    # as four words (qwen3, coder, plus and the id) it outweighed the message and found the model table
    assert confident_top(kb, "model not supported qwen3-coder-plus") == "model 'xxx' is not supported"
    # an id no document writes keeps its parts: they are what the documents may share with it
    assert "coder" in kb.matcher._analyse("qwen3-coder-ultra", query=True).words


def test_a_mistyped_host_is_read_as_the_documented_one(kb: KnowledgeBase) -> None:
    assert kb.matcher._correct_host("token-plan.ap-southeast-1.maas.aliyuncs.co") == \
        "token-plan.ap-southeast-1.maas.aliyuncs.com"
    assert kb.matcher._correct_host("api.openai.com") == "api.openai.com"
    # a host no document names says as little as a port number: it leaves the answer to the rest
    alone = kb.answer("Connection error")
    elsewhere = kb.answer("Connection error api.example.com")
    assert elsewhere.matches[0].entry.question == "Connection error" and elsewhere.confident
    assert elsewhere.matches[0].score > 0.8 * alone.matches[0].score


def test_a_camel_case_name_meets_the_word_users_type() -> None:
    assert camel_joined("What if OpenCode shows it? Use DashScope, not iPhone or API.") == ["opencode", "dashscope", "iphone"]


def _meanings(text: str) -> set[str]:
    """The synonym groups the list finds in a text."""
    ws = words(text)
    return {target for _, _, target in default_synonyms().canonical(ws, [stem(w) for w in ws])}


def test_a_number_spelled_out_is_its_digits(kb: KnowledgeBase) -> None:
    """The documents write "5 hours"; "five hours" had found nothing of it."""
    assert confident_top(kb, "is the limit per five hours rolling or fixed?") == "Refresh rules"


def test_synonym_phrases_match_words_not_stems() -> None:
    assert "vs code" not in _meanings("token plan vs coding plan")  # "coding" stems to "code"
    assert "vs code" in _meanings("Coding Plan in VS Code") and "vs code" in _meanings("visual studio code")
    assert "api key" in _meanings("two API keys")  # plurals still fold
    assert "refund" in _meanings("is it refundable")  # single words still match by stem
    assert _meanings("token limit") == {"context window"}  # a word inside a phrase is not also its own synonym


def test_a_synonym_written_as_a_word_matches_that_word_not_its_stem(kb: KnowledgeBase) -> None:
    """"Reasoning" is thinking, but its stem "reason" is the documents' "Possible reasons" and the
    scripts' table's "Reason" column: read by stem, "does thinking mode work" took that table."""
    assert "think" in _meanings("does qwen code support reasoning")
    assert "think" in _meanings("what reasoning models are there")
    assert "think" not in _meanings("what is the reason for this error") | _meanings("possible reasons")
    assert confident_top(kb, "does thinking mode work", "coding-plan") == "Do Coding Plan models support thinking mode?"


@pytest.mark.parametrize("query", ["can qwen code show the chain of thought", "how to see claude code's thought process"])
def test_a_thought_process_is_thinking(kb: KnowledgeBase, query: str) -> None:
    # the documents write "thinking mode" and "View thinking process"; users "thought process", "chain of thought"
    assert confident_top(kb, query) == "Do Coding Plan models support thinking mode?"


def test_a_capital_letter_in_a_models_name_is_its_capitalization(kb: KnowledgeBase) -> None:
    """The documents write "capitalization", "case-sensitive" and "the wrong case"; a user writes "capital letter"."""
    assert _meanings("the model name has a capital letter") == _meanings("is it case-sensitive") == {"capit"}
    assert _meanings("uppercase or lowercase") == {"capit"}
    query = "the model name I typed has a capital letter, could that be why it's rejected"
    assert "case-sensitive" in confident_answer(kb, query)


def test_a_synonym_phrase_reads_past_a_determiner() -> None:
    assert "downgrad" in _meanings("can I lower my tier")  # the list writes "lower tier"
    assert "exhaust" in _meanings("I hit my limit") and "exhaust" in _meanings("what if we hit limit")  # "hit the limit"
    assert "downgrad" not in _meanings("lower the price of my tier")  # only a determiner may stand between


def test_a_span_of_hours_is_a_time_window_not_the_context_window(kb: KnowledgeBase) -> None:
    """The documents write "window" only in "context window": "per 5 hour window" had weighed as that."""
    matcher = kb.matcher
    def terms(text: str) -> set[str]:
        return {t for concept, _ in matcher._concepts(matcher._analyse(text, query=True)) for t in concept}
    assert "window" not in terms("Pro tier requests per 5 hour window") and "hour" in terms("per 5 hour window")
    assert "context window" in terms("what is the context window of glm-5")


def test_a_synonym_phrase_reads_past_an_adverb_of_degree_or_frequency() -> None:
    assert "no respons" in _meanings("nothing ever comes back")  # the list writes "nothing comes back"
    assert "exhaust" in _meanings("the credits ran completely out")  # "ran out"
    assert "no respons" not in _meanings("nothing new comes back")  # an adverb may stand between, not any word


def test_a_chat_that_never_answers_is_told_in_a_phrase_with_an_adverb_in_it(kb: KnowledgeBase) -> None:
    """'comes back' alone is a quota restored; "nothing ever comes back" had not been read as no response."""
    assert confident_top(kb, "openclaw says connected but nothing ever comes back") == (
        "What should I do if OpenClaw shows as connected but the chat has no response or keeps loading?")


@pytest.mark.parametrize(("text", "meaning"), [
    # a phrase is matched word by word, not by stems, so its past forms are listed as its present ones
    ("I signed up for it yesterday", "subscript"),
    ("I topped up my credits", "more credit"),
    ("the tool fell back to the old key", "switch"),
    ("the quota never came back", "restor"),
    ("I plugged it into cursor", "integr"),
])
def test_a_synonym_phrase_in_the_past_tense(text: str, meaning: str) -> None:
    assert meaning in _meanings(text)


@pytest.mark.parametrize(("text", "meaning"), [
    ("my credits ran dry", "exhaust"),
    ("the quota dried up", "exhaust"),
    ("a standard key alongside the plan key", "mix"),
    ("can the two keys coexist", "mix"),
])
def test_an_idiom_for_running_out_or_keeping_both_is_read_as_its_meaning(text: str, meaning: str) -> None:
    assert meaning in _meanings(text)


@pytest.mark.xfail(strict=True, reason=(
    "a known weakness: both sections hold every word asked (the table 'Mixing them produces ... errors'), and the "
    "table's heading 'Two Key Types' holds 'key' where 'Resolution' holds nothing asked. It had passed only while "
    "'normal' was a word no document writes and the sentence model broke the near tie; with the documents' own "
    "'standard' it failed before as now"))
@pytest.mark.parametrize("kind", ["normal", "standard"])
def test_keys_kept_alongside_each_other_are_both_key_types_coexisting(kb: KnowledgeBase, kind: str) -> None:
    query = f"Can I keep a {kind} sk- key for my scripts alongside my coding plan key?"
    assert confident_top(kb, query) == "Resolution"


@pytest.mark.parametrize(("query", "product", "top"), [
    # a plan is bought by subscribing to it: the documents write "subscribe", users "buy"
    ("can I buy more than one", "coding-plan", "How many Coding Plan subscriptions can one account have at the same time?"),
    ("can I buy two token plans", None, "Can I buy multiple subscriptions?"),
    ("how many subscriptions can I have", "token-plan", "Can I buy multiple subscriptions?"),
    # and a second one is more than one
    ("Can I buy a second coding plan for my other project?", None,
     "How many Coding Plan subscriptions can one account have at the same time?"),
])
def test_buying_a_plan_is_subscribing_to_it(kb: KnowledgeBase, query: str, product: str | None, top: str) -> None:
    assert confident_top(kb, query, product) == top


@pytest.mark.parametrize("query", ["at what time does the coding plan monthly quota reset",
                                   "what time does the monthly coding plan quota reset"])
def test_a_question_asking_when_is_answered_by_an_entry_that_tells_a_time(kb: KnowledgeBase, query: str) -> None:
    # the comparison page's row "hour/week/month allocated quota exceeded" says only "Wait for reset or upgrade"
    assert "00:00:00" in confident_answer(kb, query)


@pytest.mark.parametrize("query", ["where does the coding plan key go in qwen code",
                                   "where do I put my coding plan url in claude code"])
def test_a_question_asking_where_is_answered_by_an_entry_that_tells_a_place(kb: KnowledgeBase, query: str) -> None:
    # the key types' table names the key and the URL but not where they go; the tools' set-up names the file
    assert confident_top(kb, query) == "Connect to tools"


def test_a_question_asks_when_or_where_by_its_opening_words_after_a_greeting() -> None:
    # read as `_asks_for` reads a question's opening word: a greeting before it says nothing
    assert _opens_with(ASKS_WHEN, "hey what time does the quota reset") and _opens_with(ASKS_WHEN, "When does it reset?")
    assert not _opens_with(ASKS_WHEN, "my quota reset when I renewed")
    assert _opens_with(ASKS_WHERE, "hi, where is my key") and not _opens_with(ASKS_WHERE, "my key is nowhere")


@pytest.mark.parametrize("query", ["coding plan lite vs pro price", "Lite versus Pro monthly price",
                                   "what is the price difference between lite and pro"])
def test_an_entry_stating_both_sides_of_a_comparison_compares_them(kb: KnowledgeBase, query: str) -> None:
    # the price table has Lite and Pro columns and no word "difference"; the upgrade rules' "price
    # difference prorated" had the word, and took the question
    assert confident_top(kb, query) == "Pricing and usage"


@pytest.mark.parametrize(("query", "product", "top"), [
    ("which models can I use", "token-plan", "Which text generation models are supported?"),
    ("which image models can I call", "token-plan", "Which image generation models are supported?"),
    ("which models can I pick in coding plan", None, "Coding Plan Supported Models"),
])
def test_which_models_one_can_use_are_the_models_supported(kb: KnowledgeBase, query: str, product: str | None,
                                                          top: str) -> None:
    # 'Why is my model "not supported"?' and "Can I use image models in coding tools?" had taken them
    assert confident_top(kb, query, product) == top
    # "what can I use it for" names nothing asked about between the two, and in "which tools can I use
    # coding plan with" the tools are what takes the plan, not what is supported
    assert kb.matcher._analyse("what can I use coding plan for", query=True).words[:4] == ["what", "can", "use", "coding"]
    assert "supported" not in kb.matcher._analyse("which tools can I use coding plan with", query=True).words


@pytest.mark.parametrize(("query", "product"), [("can I share my coding plan with my brother", None),
                                              ("can a team member use my key", "coding-plan"),
                                              ("My coworker wants to use my coding plan key too, is that allowed?", None)])
def test_sharing_an_account_is_with_other_people_and_must_not_is_a_restriction(kb: KnowledgeBase, query: str,
                                                                               product: str | None) -> None:
    # the overview's "Account policy" says the plan "must not be shared" and warns of "account sharing",
    # with no word of the people a user would share it with
    assert "must not be shared" in confident_answer(kb, query, product)


@pytest.mark.parametrize(("query", "product"), [
    ("does the team edition use our prompts to improve the models", None),
    ("is token plan going to use my code to improve their AI", None),
    ("will my conversations improve your models", "token-plan"),
])
def test_data_used_to_improve_the_models_is_data_used_to_train_them(kb: KnowledgeBase, query: str,
                                                                     product: str | None) -> None:
    # the documents say only that data is not used "to train models"
    assert "train" in confident_answer(kb, query, product)


@pytest.mark.parametrize(("query", "said"), [
    ("my token plan key got banned", "automatic key suspension"),
    ("token plan key revoked", "automatic key suspension"),
    ("will coding plan ban my key for using it in a script", "subscription being suspended"),
])
def test_a_key_banned_or_revoked_is_one_suspended(kb: KnowledgeBase, query: str, said: str) -> None:
    # the documents write "suspension", "suspended" and "revocation", users "banned" and "revoked"; "blocked"
    # is left out, for Token Plan's "If you are still blocked" means stuck
    assert said in confident_answer(kb, query)


@pytest.mark.parametrize(("query", "said"), [
    ("Are token plan models quantized?", "unquantized versions"),
    ("Can I run a nightly batch job with my token plan key?", "cannot be used for automated scripts"),
    ("can I run coding plan from a cron job", "API calls for automated scripts"),
])
def test_a_sentence_of_an_answer_is_asked_as_its_question_is(kb: KnowledgeBase, query: str, said: str) -> None:
    # "Are there usage restrictions?" asks none of these; a sentence of its answer asks each whole
    assert said in confident_answer(kb, query)


def test_a_table_cell_or_a_short_answer_is_no_sentence_asked(kb: KnowledgeBase) -> None:
    # the edition's comparison table has a cell "Text generation and image generation models"; the
    # edition's own list of image models answers what image models it has
    assert confident_top(kb, "what image models are in token plan team edition") == "What image generation models are supported?"


@pytest.mark.parametrize("query", ["wich image modles does token plan have", "whihc image models does token plan have"])
def test_a_mistyped_question_word_asks_what_the_repaired_word_asks(kb: KnowledgeBase, query: str) -> None:
    # "which" asks for a list, not a yes or no: "Can I use image models in coding tools?" had won
    assert confident_top(kb, query) in {"Which image generation models are supported?",
                                        "What image generation models are supported?"}


def test_more_quota_is_more_credits(kb: KnowledgeBase) -> None:
    # Coding Plan's documents write "upgrade to Pro for more quota", Token Plan's "to add more credits"
    assert "upgrade to Pro for more quota" in confident_answer(kb, "how do I get more quota", "coding-plan")


@pytest.mark.parametrize("query", ["can a RAM sub-account buy coding plan",
                                   "our company account has a RAM sub-account, can it subscribe to coding plan"])
def test_a_ram_sub_account_is_one_ram_user_not_ram_and_a_user(kb: KnowledgeBase, query: str) -> None:
    # "RAM" and "sub-account" had been two concepts, each found in the RAM user's key question
    assert "RAM users are not supported" in confident_answer(kb, query)


def test_subscribed_again_is_resubscribed(kb: KnowledgeBase) -> None:
    # the synonym list had the present forms only ("subscribe again", "buy again"), and this stayed unsure
    assert confident_top(kb, "subscribed again after expiry, is my key the same", "token-plan") == \
        "How do I reset or manage my API key?"


@pytest.mark.parametrize("query", ["can two developers on my team use the same api key",
                                   "can my brother and I use one key"])
def test_developers_and_family_are_people_sharing_a_key(kb: KnowledgeBase, query: str) -> None:
    assert confident_top(kb, query, "token-plan") == "Can multiple people share one key?"


@pytest.mark.parametrize("query", ["is my token plan subscription usable in both Cline and Qwen Code",
                                   "one token plan key in my IDE and in cursor?"])
def test_two_tools_named_ask_about_using_one_subscription_in_several(kb: KnowledgeBase, query: str) -> None:
    """An editor or a coding tool named is a tool, and "in both" is more than one."""
    assert confident_top(kb, query, "token-plan") == "Can I use one subscription across multiple tools?"


def test_a_synonym_phrase_is_read_as_a_text_is(kb: KnowledgeBase) -> None:
    """A text's single letters are not read ("I've" is "ve"), so neither are the synonym list's: its
    "what i've used" had never matched a query, nor a document."""
    assert confident_top(kb, "where can I see what I've used", "token-plan") == "How can I view my usage?"


@pytest.mark.parametrize("query", ["what does the coding plan key start with", "what does a coding plan api key look like"])
def test_what_a_key_starts_with_is_its_format(kb: KnowledgeBase, query: str) -> None:
    # "start" had matched the overview's "Start Qwen Code" and answered with how to connect a tool
    assert "sk-sp-" in confident_answer(kb, query)


@pytest.mark.parametrize("query", ["will my plan renew by itself", "does my subscription renew on its own"])
def test_a_plan_that_renews_by_itself_renews_automatically(kb: KnowledgeBase, query: str) -> None:
    assert confident_top(kb, query) == "Auto-renewal"


@pytest.mark.parametrize("query", ["Is a bot that calls coding plan every hour allowed?",
                                   "is it ok to call coding plan from a scheduled job"])
def test_asking_whether_a_use_is_allowed_asks_of_the_restrictions(kb: KnowledgeBase, query: str) -> None:
    assert "automated scripts" in confident_answer(kb, query)


def test_a_chatbot_is_an_application(kb: KnowledgeBase) -> None:
    assert confident_top(kb, "can I hook coding plan up to Dify for my chatbot") == "Why does Coding Plan fail when configured in Dify?"


def test_queuing_is_queueing(kb: KnowledgeBase) -> None:
    # the stemmer leaves "queue" whole and cuts "queuing" and "queued" to "queu": the table's "Requests
    # may queue during peak hours" was not found
    assert "Requests may queue during peak hours" in confident_answer(kb, "Does token plan have request queuing at peak?")


@pytest.mark.parametrize("query", ["what does it cost to go from Lite to Pro", "can I go from pro to lite"])
def test_going_from_one_tier_to_the_other_is_a_change_of_plan(kb: KnowledgeBase, query: str) -> None:
    # "from lite to pro" had been read as its words, and "lite" and "pro" are in most Coding Plan entries
    assert confident_top(kb, query) == "Upgrades and downgrades"


@pytest.mark.parametrize(("query", "top"), [
    ("Do I lose my token plan credits if I don't use them this month?", "When do my credits reset?"),
    ("my coding plan expired last week, I just bought it again, and my old sk-sp key is rejected",
     "If my Coding Plan expires and I resubscribe, will my API key be reset?"),
])
def test_a_query_naming_a_product_is_answered_on_less_evidence(kb: KnowledgeBase, query: str, top: str) -> None:
    # both scored just under the bar a query naming nothing of ours must clear (0.465 and 0.482 when written)
    assert confident_top(kb, query) == top


def test_a_time_zone_asked_for_is_the_documents_utc(kb: KnowledgeBase) -> None:
    assert "UTC+8" in confident_answer(kb, "which time zone do coding plan quota resets use")


def test_a_lower_tier_asked_with_a_determiner_is_a_downgrade(kb: KnowledgeBase) -> None:
    # "lower my tier" had read as two words the documents hardly write, and the answer stayed unsure
    assert confident_top(kb, "can I lower my tier", "token-plan") == "Can I upgrade or downgrade my plan?"


@pytest.mark.parametrize("query", ["token plan vs coding plan difference", "token plan vs coding plan",
                                   "compare token plan and coding plan"])
def test_a_product_comparison_is_not_taken_for_an_editor(kb: KnowledgeBase, query: str) -> None:
    result = kb.answer(query)
    assert result.confident and "difference" in result.matches[0].entry.question.lower()


@pytest.mark.parametrize("query", ["thinking budget too large", "glm-5 context window size", "kimi-k2.5 context window"])
def test_a_newer_document_moved_first_is_as_sure_as_the_answer_it_overrules(kb: KnowledgeBase, query: str) -> None:
    # the threshold holds the best-scored entry; the newer document's version of it is shown first, and
    # the response names the document it overrules
    result = kb.answer(query)
    best = max(m.score for m in result.matches)
    assert result.confident == (best >= CONFIDENT)
    if result.matches[0].score < best:
        assert result.conflicts


@pytest.mark.parametrize("query", ["what is coding plan", "Coding Plan?", "can you explain what the coding plan is",
                                   "whats this coding plan thing", "what is codng plan"])
def test_asking_what_a_product_is_answers_with_the_document_that_defines_it(kb: KnowledgeBase, query: str) -> None:
    # every word of these is one most entries use, so only the definition's own reading finds an answer
    result = kb.answer(query)
    assert result.confident and result.matches[0].entry.question.startswith("Coding Plan is a subscription plan")


@pytest.mark.parametrize("query", ["how long is a coding plan month", "coding plan refund", "which coding tools are supported"])
def test_a_definition_does_not_answer_every_query_that_names_what_it_defines(kb: KnowledgeBase, query: str) -> None:
    top = kb.answer(query).matches[0].entry
    assert not top.question.startswith("Coding Plan is a subscription plan")


@pytest.mark.parametrize(("text", "name"), [
    ("Coding Plan is a subscription plan from Alibaba Cloud Model Studio.", "Coding Plan"),
    ("Token Plan Team Edition is an offering for teams", "Token Plan Team Edition"),
    ("What is the difference between Token Plan and Coding Plan?", None),
    ("There is a limit of 5 keys.", None),
    ("The plan is a monthly subscription.", None),
    ("Coding Plan is a subscription plan, is it not?", None),
])
def test_a_definition_is_a_statement_that_opens_with_a_name(text: str, name: str | None) -> None:
    found = DEFINITION.match(text)
    assert (found.group("name") if found else None) == name


def test_a_product_named_is_answered_by_its_own_document_over_another_products_error_row(kb: KnowledgeBase) -> None:
    # Coding Plan's "403 invalid api-key" row is quoted whole by the query, yet the user has a Token
    # Plan key: Token Plan's own 401/403 question says what that 403 means for them
    query = "using token plan key with coding-intl.dashscope.aliyuncs.com gives 403 invalid api-key"
    assert confident_top(kb, query) == "I got 401 or 403. Is my API key invalid?"
    # quoted in part, Token Plan's own row still outweighs Coding Plan's row quoted whole
    result = kb.answer("token plan key used on coding-intl.dashscope.aliyuncs.com returns invalid access token")
    assert result.confident and result.matches[0].entry.question == "invalid access token or token expired"
    assert result.matches[0].entry.product == "token-plan"


def test_a_products_name_is_read_whole(kb: KnowledgeBase) -> None:
    # "Token Plan" is one name: a table's "Per-token consumption" does not name it, so the key-types
    # table of the Coding Plan document (standard keys against Coding Plan's) does not hold both names
    assert "token plan" in kb.matcher._analyse("my Token Plan key", query=True).terms
    assert "token plan" not in kb.matcher._analyse("Billing: per-token consumption").terms
    assert confident_top(kb, "Can I use my token plan key on the coding plan endpoint?") in {
        "Which API key and base URL should I use?", "Can I mix Token Plan, Coding Plan, and pay-as-you-go keys?"}


def test_the_tiers_named_are_their_products(kb: KnowledgeBase) -> None:
    # Lite and Pro are Coding Plan's: Token Plan's "Can I upgrade or downgrade my plan?" ("switching
    # between seat tiers is not supported") is no answer to a Pro user
    assert confident_top(kb, "Can I switch from Pro back to Lite?") == "Upgrades and downgrades"


@pytest.mark.parametrize(("query", "expect"), [
    ("monthly request cap for lite", "Pricing and usage"),
    ("what env vars does qwen code need", "Connect to tools"),
    # the error's "allocated quota" is the quota users name; without the group the general
    # "What to do when my quota runs out?" asked every word of these and won
    ("weekly quota exceeded, what now", "week allocated quota exceeded"),
    ("monthly quota exceded on coding plan", "month allocated quota exceeded"),
    # a name lookup that fails is a connection error, however the client words it
    ("httpx.ConnectError: [Errno -2] Name or service not known", "Connection error"),
    ("ConnectionError: DNS resolution failed", "Connection error"),
    # "cheapest" asks the price; with no word the documents write besides the product's name, the
    # query found no candidate at all
    ("What's the cheapest coding plan?", "Pricing and usage"),
    # Token Plan's FAQ says "shared usage package", the Team Edition's "shared usage pack"
    ("what happens after the seat quota and shared usage package run out on team edition",
     "What happens when I exceed my quota?"),
    # a limited-time offer is a promotion, not something "offered" (supported)
    ("when did the coding plan promotion end", "Limited-time offer"),
    # a python script is a script; "python" alone is a word the documents never write
    ("sk-sp- key on the coding endpoint from a plain python script gets rejected",
     "Key Type x Endpoint — Expected Behavior"),
    # a refused connection is a connection error; "watered down" asks about quantization; half off is a discount
    ("curl: (7) Failed to connect to token-plan.ap-southeast-1.maas.aliyuncs.com port 443: Connection refused",
     "Why do I get 404 or connection errors?"),
    ("Are the coding plan models watered down versions?", "Is the model in Coding Plan quantized?"),
    # twelve months is a year; a longest prompt is a context window
    ("can I pay once for twelve months of coding plan", "Does Coding Plan have an annual plan?"),
    ("longest prompt glm-5 accepts on coding plan", "Coding Plan Supported Models"),
    ("do I still get half off the first month if I leave auto-renew off?",
     "If I buy Coding Plan without enabling auto-renewal, can I still get the 50% discount on my first manual renewal next month?"),
    # tokens burned are tokens consumed; a balance is credits, and what is subtracted from it is deducted
    ("how do I find out how many tokens I burned on coding plan", "How can I view token consumption details?"),
    ("how much gets subtracted from my token plan balance per call", "How are credits deducted?"),
    # a model's full version is not quantized; heavy load is the peak the plans' comparison speaks of
    ("is coding plan running the full versions of the models", "Is the model in Coding Plan quantized?"),
    ("is token plan slower under heavy load", "What is the difference between Token Plan and Coding Plan?"),
    # a larger tier is an upgrade, as a bigger plan was; buying a lapsed plan again is resubscribing
    ("can I move my token plan to a larger tier", "Can I upgrade or downgrade my plan?"),
    ("how do I get a bigger tier on coding plan", "Upgrades and downgrades"),
    ("if my coding plan ends and I purchase it again do I keep the same key",
     "If my Coding Plan expires and I resubscribe, will my API key be reset?"),
    ("do I have to update my tools with a new key if I sign up again after my plan lapsed",
     "If my Coding Plan expires and I resubscribe, will my API key be reset?"),
    # right away is immediately; topping up is buying more credits
    ("renewed token plan early, will credits be added right away?", "When do my credits reset?"),
    ("can I top up credits on token plan", "Can I upgrade or downgrade my plan?"),
    # a limit that frees up is one restored
    ("when does the 5 hour limit on coding plan free up", "Refresh rules"),
    # a tool set up is a tool configured, and a setup guide tells how to use a thing
    ("setup guide for image generation in token plan", "How do I use image generation models in coding tools?"),
    ("how do I set up coding plan in claude code", "Connect to tools"),
    # a compressed version of a model is a quantized one
    ("are coding plan's models compressed versions of the originals", "Is the model in Coding Plan quantized?"),
])
def test_users_words_for_the_documents_words(kb: KnowledgeBase, query: str, expect: str) -> None:
    assert confident_top(kb, query) == expect


def test_credits_taken_from_a_pack_are_deducted_from_it(kb: KnowledgeBase) -> None:
    # each of these says the seat quota goes first, then the shared pack; when credits reset does not
    says_so = {"What happens when my quota runs out?", "What happens when I exceed my quota?",
               "How are credits deducted?", "What are the credit deduction rules?"}
    assert confident_top(kb, "after my seat credits are gone does it start taking from the shared pack") in says_so


@pytest.mark.parametrize("query", ["can my colleague use my subscription", "can I lend my key to a friend",
                                   "can a friend borrow my plan"])
def test_another_person_using_a_key_or_plan_is_sharing_it(kb: KnowledgeBase, query: str) -> None:
    # "Can multiple people share one key?" asks it in other words: a colleague using my subscription shares it
    assert confident_top(kb, query, "token-plan") == "Can multiple people share one key?"


def test_lending_a_coding_plan_finds_its_account_policy(kb: KnowledgeBase) -> None:
    # Coding Plan says so only in its overview's "Limitations": "must not be shared"
    assert kb.answer("can a friend borrow my coding plan").matches[0].entry.question == "Limitations"


@pytest.mark.parametrize("query", [
    "my token plan key works in claude code but cursor says url error",
    "Cursor with my token plan key and base url https://token-plan.ap-southeast-1.maas.aliyuncs.com/apps/anthropic returns url error",
])
def test_a_messages_first_clause_quoted_names_its_error(kb: KnowledgeBase, query: str) -> None:
    # "url error" is the first clause of "url error, please check url!": what the tool reports of it
    assert confident_top(kb, query) == "400 InvalidParameter: url error, please check url!"


def test_a_first_clause_inside_an_unrelated_message_is_no_quote(kb: KnowledgeBase) -> None:
    # git's "The requested URL returned error" holds "url ... error", and explains nothing else of the query
    result = kb.answer("remote: Permission to org/repo.git denied to user. fatal: unable to access: "
                       "The requested URL returned error: 403")
    assert not result.confident


@pytest.mark.parametrize("message", ["400 InvalidParameter: quota gate closed, please retry later",
                                     "quota gate closed, please retry later"])
def test_a_first_clause_is_quotable_with_or_without_a_code(kb: KnowledgeBase, message: str) -> None:
    row = replace(kb.entries[0], id="row", kind="error", question=message, answer="Wait and retry.")
    heads = [t.tokens for t in Matcher([*kb.entries, row]).templates if t.head and t.entry == len(kb.entries)]
    assert heads == [["quota", "gate", "close"]]


def test_what_a_plan_does_not_allow_is_its_restrictions(kb: KnowledgeBase) -> None:
    result = kb.answer("what am I not allowed to do with token plan")  # Token Plan's or its team edition's
    assert result.confident and result.matches[0].entry.question.endswith("usage restrictions?")


@pytest.mark.parametrize(("query", "expect"), [
    ("token plan keeps saying model not supported", 'Why is my model "not supported"?'),
    ("coding plan shows only for coding agents error", "Coding Plan is currently only available for Coding Agents"),
    ("i keep getting charged even though i have a subscription", "Why am I still billed after subscribing?"),
])
def test_verbs_that_report_a_message_and_joining_words_say_nothing_of_its_topic(
        kb: KnowledgeBase, query: str, expect: str) -> None:
    assert confident_top(kb, query) == expect


@pytest.mark.parametrize(("query", "expect"), [
    ("how often does the coding plan quota refresh", "Refresh rules"),
    ("how often is the token plan quota reset", "When do my credits reset?"),
])
def test_how_often_asks_when_and_names_no_topic(kb: KnowledgeBase, query: str, expect: str) -> None:
    # as a word no document writes, "often" outweighed the quota and found what to do when it runs out
    assert confident_top(kb, query) == expect


def test_a_yes_or_no_question_quoting_no_error_is_not_surely_an_error_row(kb: KnowledgeBase) -> None:
    result = kb.answer("does coding plan include a free domain name")
    assert not (result.confident and result.matches[0].entry.kind == "error")
    # a yes/no question quoting the error is still its row
    assert confident_top(kb, "does 'hour allocated quota exceeded' mean I wait 5 hours") == "hour allocated quota exceeded"


def test_returns_reports_a_message_as_says_does() -> None:
    assert {"return", "say", "show"} <= {stem(w) for w in STOPWORDS}
    assert "returns" in STOPWORDS and "returned" in STOPWORDS


@pytest.mark.parametrize(("query", "expect"), [
    # the error row naming deepseek-v3.2 twice is no list of models
    ("which deepseek models are on token plan", "Which text generation models are supported?"),
    # "qwen" runs into the version in the ids ("qwen3.5-plus"), yet they are qwen models
    ("what qwen models does coding plan have", "Coding Plan Supported Models"),
    # and "Qwen Code" is a tool, not a qwen model
    ("does qwen code support thinking", "Do Coding Plan models support thinking mode?"),
])
def test_a_question_asking_which_models_is_answered_by_a_list_of_them(kb: KnowledgeBase, query: str,
                                                                        expect: str) -> None:
    assert confident_top(kb, query) == expect


def test_asking_what_an_error_quoted_means_still_finds_its_row(kb: KnowledgeBase) -> None:
    for query, row in [("what does 403 invalid api-key mean", "403 invalid api-key"),
                       ("what is Throttling.AllocationQuota", "429 Throttling.AllocationQuota / insufficient_quota")]:
        assert kb.answer(query).matches[0].entry.question == row


@pytest.mark.parametrize("query", ["url error", "token plan url error"])
def test_an_error_is_asked_by_its_message_without_its_code(kb: KnowledgeBase, query: str) -> None:
    # read only whole ("400 InvalidParameter: url error, please check url!"), the code's words made the
    # message a small share of what the error asks, and "Which API key and base URL should I use?" won
    assert confident_top(kb, query) == "400 InvalidParameter: url error, please check url!"


@pytest.mark.parametrize(("query", "expect"), [
    ("what endpoint do I put in claude code for coding plan", "coding-intl.dashscope.aliyuncs.com/apps/anthropic"),
    ("will I be billed pay as you go once my coding plan quota is gone", "will not automatically switch"),
])
def test_light_verbs_say_nothing_their_object_does_not(kb: KnowledgeBase, query: str, expect: str) -> None:
    assert expect in confident_answer(kb, query)


def test_an_error_message_inside_a_question_asking_more_is_not_the_whole_answer(kb: KnowledgeBase) -> None:
    """"Connection error" is a documented message, but this asks of 404s too, and an entry answers both."""
    assert confident_top(kb, "token plan connection errors and 404s") == "Why do I get 404 or connection errors?"


@pytest.mark.parametrize(("word", "topic"), [
    ("unquantized", "quantized"), ("unsupported", "supported"), ("unavailable", "available"),
    ("until", None), ("unless", None), ("unique", None), ("understand", None), ("unused", None),
])
def test_a_negated_word_names_the_topic_it_negates(word: str, topic: str | None) -> None:
    assert negation_free(word) == topic


def test_a_negated_word_finds_the_entry_about_its_topic(kb: KnowledgeBase) -> None:
    assert confident_top(kb, "is coding plan unquantized") == "Is the model in Coding Plan quantized?"


@pytest.mark.parametrize(("text", "turned"), [
    ("model 'xxx' is not supported", {"supported"}), ("No API-key provided.", {"api"}),
    ("the chat has no response", {"response"}), ("it doesn't support my tool", {"support"}),
    ("models that I never configured", {"configured"}), ("not be used", set()), ("how do I reset it", set()),
])
def test_a_negation_turns_around_the_next_word_that_names_something(text: str, turned: set[str]) -> None:
    ws = words(text)
    assert {ws[k] for k in negated(ws)} == turned


@pytest.mark.parametrize(("query", "top"), [
    ("which models are supported", "Which {} generation models are supported?"),
    ("what models are available", "Which {} generation models are supported?"),
    ("model not supported", 'Why is my model "not supported"?'),
    ("my model isn't supported", 'Why is my model "not supported"?'),
    ("unsupported model", 'Why is my model "not supported"?'),
])
def test_a_question_asking_of_a_topic_turned_around_is_asked_by_the_negation_only(kb: KnowledgeBase, query: str,
                                                                                   top: str) -> None:
    """'Why is my model "not supported"?' answers why a model is not supported, not which models are."""
    assert confident_top(kb, query, "token-plan") in {top.format(kind) for kind in ("text", "image")}


def test_a_phrase_of_stop_words_keeps_its_meaning(kb: KnowledgeBase) -> None:
    """"at once" is two stop words, and still the concept "simultaneous"."""
    matcher = kb.matcher
    concepts = {c for c, _ in matcher._concepts(matcher._analyse("two plans at once", query=True))}
    assert frozenset({"simultan"}) in concepts


def test_the_vendors_name_says_which_documentation_a_query_is_about_not_which_entry(kb: KnowledgeBase) -> None:
    # "Alibaba Cloud Model Studio" heads two documents' titles; "model" is also what many questions ask about
    assert {"alibaba", "cloud", "studio"} <= kb.matcher.context and "model" not in kb.matcher.context
    assert not kb.answer("How do I get an invoice for my Alibaba Cloud order?").confident
    assert not kb.answer("How do I top up my Alibaba Cloud balance?").confident
    result = kb.answer("my alibaba cloud account is in arrears, can I still use token plan")
    assert result.confident and result.matches[0].entry.question.startswith("Does an overdue Alibaba Cloud account")


def test_an_error_message_quoted_without_its_stop_words_is_still_the_message(kb: KnowledgeBase) -> None:
    assert confident_top(kb, "model not supported", "coding-plan") == "model 'xxx' is not supported"


@pytest.mark.parametrize(("query", "expect"), [
    ("bought in feb, why did it expire so soon", "Why does my Coding Plan subscription purchased in February"),
    ("I renewed token plan yesterday but have no credits", "I just renewed my plan but my credits are still 0"),
    # how sure a user is ("exactly") says nothing of what is asked: weighed as a word, it left the words
    # undecided and the sentence model chose the terse table row, which says no when
    ("the monthly quota on coding plan - when exactly does it come back", "month allocated quota exceeded"),
])
def test_when_a_user_tells_their_story_is_not_what_they_ask(kb: KnowledgeBase, query: str, expect: str) -> None:
    result = kb.answer(query)
    assert result.confident and result.matches[0].entry.question.startswith(expect)


@pytest.mark.parametrize(("query", "expect"), [
    ("Good morning. I'd like to cancel my Coding Plan subscription that I purchased 2 days ago and get my money "
     "back. Is that possible?", "Cancellations and refunds"),
    ("Is it possible to pay for a whole year of Coding Plan upfront to save money?", "Does Coding Plan have an annual plan?"),
])
def test_a_support_ticket_in_sentences_finds_its_answer(kb: KnowledgeBase, query: str, expect: str) -> None:
    assert confident_top(kb, query) == expect


def test_a_rare_english_word_next_to_a_far_commoner_one_is_its_typo(kb: KnowledgeBase) -> None:
    repair = kb.matcher._repair
    assert (repair("thier"), repair("waht"), repair("becuase")) == ("their", "what", "because")
    # words in their own right: as common as their neighbour, or in everyday use
    assert (repair("trail"), repair("quora"), repair("rust"), repair("flies")) == ("trail", "quora", "rust", "flies")
    assert confident_top(kb, "is ther an anual plan") == "Does Coding Plan have an annual plan?"


def test_a_typo_an_edit_from_a_common_word_is_that_word_not_a_document_word_two_edits_away(kb: KnowledgeBase) -> None:
    repair = kb.matcher._repair
    # "stoped" is "stopped", not the documents' "scope" two edits away; a document word an edit away
    # is taken as before, and with no common word an edit away, one two edits away ("eacces")
    assert (repair("stoped"), repair("configuraton"), repair("subscripton")) == ("stopped", "configuration", "subscription")
    assert repair("eacces") == "access"


def test_two_words_run_together_are_the_two_words_when_the_documents_write_them_apart(kb: KnowledgeBase) -> None:
    repair = kb.matcher._repair
    assert (repair("tokenplan"), repair("qwencode"), repair("codingplan")) == ("token plan", "qwen code", "coding plan")
    # a name the documents write joined stays joined ("OpenCode" is also "open code" once folded)
    assert (repair("opencode"), repair("dashscope")) == ("opencode", "dashscope")
    result = kb.answer("can i get a refund for my tokenplan")
    assert result.confident and result.product == "token-plan" and "refund" in result.matches[0].entry.question.lower()


@pytest.mark.parametrize("query", ["which models are supported", "what models are available"])
def test_models_asked_for_with_no_kind_named_are_the_text_generation_models(kb: KnowledgeBase, query: str) -> None:
    # the image and text model lists had tied, word for word, and the image list came first
    assert confident_top(kb, query, "token-plan") == "Which text generation models are supported?"
    assert confident_top(kb, "which image models are available", "token-plan") == "Which image generation models are supported?"


def test_an_error_code_a_question_names_is_found_in_a_pasted_error_as_a_message_is(kb: KnowledgeBase) -> None:
    # the message beside the code is undocumented, and the client's wrapper words had outweighed the code
    query = ("litellm.BadRequestError: OpenAIException - Error code: 400 - {'error': {'code': 'data_inspection_failed', "
             "'message': 'Input data may contain inappropriate content.'}}")
    result = kb.answer(query)
    assert result.confident and "data_inspection_failed" in result.matches[0].entry.question


def test_the_sentence_model_reads_a_query_as_its_typos_were_repaired(kb: KnowledgeBase) -> None:
    # read as typed, "annnual" is a word the sentence model does not know, and its half of the score fell
    clean, typed = kb.answer("is there an annual option"), kb.answer("is there an annnual option")
    assert typed.confident and typed.matches[0].entry.question == clean.matches[0].entry.question
    assert typed.matches[0].score == clean.matches[0].score


def test_a_second_product_named_with_a_typo_is_named(kb: KnowledgeBase) -> None:
    # read as typed, the query named Coding Plan alone, and Token Plan's answer was scaled down as another product's
    assert confident_top(kb, "Can I mix coding plan and topen plan keys?") == \
        "Can I mix Token Plan, Coding Plan, and pay-as-you-go keys?"


def test_a_word_of_everyday_use_is_not_two_words_run_together(kb: KnowledgeBase) -> None:
    # the documents write "no body" and "to day" as word pairs, but the words mean other things:
    # "calls nobody set up" has no body in it
    repair = kb.matcher._repair
    assert (repair("nobody"), repair("today"), repair("maybe")) == ("nobody", "today", "maybe")
    assert "body" not in kb.matcher._analyse("it lists calls nobody set up", query=True).words
    assert repair("setup") == "set up"  # a rarer compound is still the documents' pair


def test_an_everyday_word_is_its_typo_where_its_neighbour_and_another_word_of_the_query_say_so(kb: KnowledgeBase) -> None:
    # "rest" is a word, and the documents never write it: "to rest my api key" is "to reset", which the
    # documents write, in a question that asks of the key too; a longer word read as typed ("thinkin") likewise
    assert confident_top(kb, "how to rest my coding plan api key") == "How to reset the API key for Coding Plan?"
    assert kb.matcher._analyse("how to turn on thinkin mode", query=True).words[-2] == "thinking"
    # as meant: nothing asked beside it says otherwise, or it is a word of a synonym's phrase ("plug in")
    assert "rest" in kb.matcher._analyse("what happens to the rest of my quota", query=True).words
    assert "plug" in kb.matcher._analyse("I want to plug in my coding plan subscription", query=True).words


def test_two_words_run_together_and_mistyped_are_repaired_to_two_words(kb: KnowledgeBase) -> None:
    assert kb.matcher._correct("codingplna") == "coding plan"
    assert kb.matcher._correct("codingplan") == "coding plan"


def test_a_typo_repaired_alone_is_read_again_beside_its_neighbours(kb: KnowledgeBase) -> None:
    # alone, "mage" is an edit from the commoner "make"; beside "models" it is the documents' "image models"
    assert kb.matcher._analyse("which mage models does token plan have", query=True).words[1] == "image"
    # and a repair its neighbours allow stands: "usge" is "usage", though "plan use" is written too
    assert kb.matcher._analyse("how to chek token plan usge", query=True).words[-1] == "usage"


def test_a_typo_as_near_two_words_is_read_as_the_one_its_company_points_to(kb: KnowledgeBase) -> None:
    # "liet" is an edit from "lite" and from "list": the query's other words choose
    assert kb.matcher._analyse("liet 5 hour limit", query=True).words[0] == "lite"
    assert kb.matcher._analyse("full liet of supported models", query=True).words[1] == "list"
    # a word repaired to English's nearer word is no tie for the company to break: "stoped" is stopped
    assert kb.matcher._analyse("coding plan stoped working", query=True).words[2] == "stopped"
    top = kb.answer("Liet 5 hour limit").matches[0].entry
    assert "1,200" in top.answer


def test_a_mistyped_form_the_documents_do_not_write_is_read_by_its_stem(kb: KnowledgeBase) -> None:
    # "downgrading" is nowhere in the documents, "downgrade" is: "downrading" is two edits from the one and
    # three from the other, but its stem an edit from theirs
    assert kb.matcher._correct("downrading") == "downgrade"
    assert "Cannot downgrade" in confident_answer(kb, "Is downrading from Pro to Lite possible?")


def test_data_kept_safe_is_asked_as_the_documents_ask_it_protected_or_secure(kb: KnowledgeBase) -> None:
    """Token Plan's FAQ asks "How is my data protected?", the Team Edition's "How is data security
    ensured?"; a user asks whether it is safe."""
    result = kb.answer("is my data safe", product="token-plan")
    assert result.confident
    assert result.matches[0].entry.question in {"How is my data protected?", "How is data security ensured?"}


def test_a_question_asked_of_a_product_is_answered_by_its_one_entry_that_holds_all_it_asks(kb: KnowledgeBase) -> None:
    """Token Plan's documents write of scripts only in their usage restrictions: asked of Token Plan,
    that is the answer, though the question's own words ("usage restrictions") are not the user's."""
    result = kb.answer("can I use it from scripts", product="token-plan")
    assert result.confident
    assert result.matches[0].entry.question in {"Are there usage restrictions?", "What are the usage restrictions?"}
    # held alone, but barely matched: Coding Plan writes "china" only as a setting in its thinking-mode answer
    assert not kb.answer("can I use it in China", product="coding-plan").confident
    # a word no entry of the product holds leaves the question unanswered, however the rest matches
    assert not kb.answer("can I pay with paypal", product="token-plan").confident


def test_a_query_naming_a_product_is_answered_by_what_speaks_to_that_product(kb: KnowledgeBase) -> None:
    """Another product's entry answers a query naming a product only if its own words name that product
    too: Token Plan's documents say nothing of a free trial, and Coding Plan's answer is Coding Plan's."""
    result = kb.answer("does token plan come with a free trial?")
    assert result.product == "token-plan"
    assert not result.confident
    assert "free trial" in " ".join(m.entry.question.lower() for m in result.matches)  # still shown, unsure
    # a comparison filed under Token Plan speaks of Coding Plan, and answers a Coding Plan question
    compared = kb.answer("how does coding plan compare with paying per token")
    assert compared.product == "coding-plan"
    assert compared.matches[0].entry.question == "What is the difference between Token Plan and Coding Plan?"
    # an answer naming the product in passing is not about it: Token Plan's base URLs are no answer for
    # Coding Plan because they add that Coding Plan's URLs do not work with Token Plan keys
    asked = kb.answer("coding plan base url for the openai sdk")
    assert asked.matches[0].entry.product == "coding-plan"
    # unless the query asks how the two go together, naming the answer's own product (here its edition)
    together = kb.answer("can the team edition key be used with coding plan")
    assert together.confident and together.matches[0].entry.product == "token-plan"
    # a sentence of a query naming a product that shares no word with any entry has nothing to put first
    assert not kb.answer("We are a small company. Does coding plan deliver pizza to the office?").confident
    # a product's own error row ranks before another product's row of the same message
    pasted = kb.answer("my token plan key in cline says 401 invalid access token or token expired")
    assert pasted.confident
    assert pasted.matches[0].entry.product == "token-plan"


def test_a_urls_scheme_says_nothing_of_what_is_asked(kb: KnowledgeBase) -> None:
    """"https" is in every answer that gives a URL: weighed as a word, it pulled the table of key types and
    their URLs over the 403 row that explains the error (the two are still close: the table holds every
    other word of the URL)."""
    result = kb.answer("my sk-sp- key on https://dashscope-intl.aliyuncs.com/compatible-mode/v1 gets 403")
    assert result.confident
    assert result.matches[0].entry.question == "403 invalid api-key"


@pytest.mark.parametrize(("query", "product"), [
    ("can I use gpt-4o with coding plan", None),
    ("does coding plan work with deepseek-r1", None),  # a family the documents name, a model they do not
    ("can I call qwen-max with my coding plan key", None),
    ("can I use claude-sonnet-4 with it", "coding-plan"),
    ("Can I use GPT-4o with Coding Plan?", None),  # capitalised as its vendor writes it
    ("can I use Gemini 2.5 Pro with coding plan", None),  # written apart, as people write it
    ("does coding plan support GPT 4o", None),
    ("can I use Llama 3 70B in coding plan", None),
])
def test_a_model_no_document_lists_asks_whether_unlisted_models_work(
        kb: KnowledgeBase, query: str, product: str | None) -> None:
    assert confident_top(kb, query, product) == "Can I use models not listed in the supported models list?"


@pytest.mark.parametrize(("query", "product"), [
    ("can I use deepseek-v3.2 with coding plan", None),  # Token Plan lists it; no Coding Plan document does
    ("is glm-5.1 supported", "coding-plan"),  # nor a typo of its glm-5: Token Plan lists both
    ("does coding plan support deepseek", None),  # a family alone, whose models only Token Plan lists
    ("does codng plan suport deepseek", None),  # the product named with a typo
])
def test_a_model_another_product_lists_is_unlisted_for_this_one(kb: KnowledgeBase, query: str,
                                                               product: str | None) -> None:
    assert confident_top(kb, query, product) == "Can I use models not listed in the supported models list?"


def test_a_model_another_product_lists_in_a_pasted_error_is_still_the_error(kb: KnowledgeBase) -> None:
    assert confident_top(kb, "model 'deepseek-v3.2' is not supported", "coding-plan") == "model 'xxx' is not supported"
    # and a model the product lists is no unlisted one: Token Plan lists deepseek's models
    assert "unlisted" not in kb.matcher._unlisted("can I use deepseek-v3.2 or deepseek", "token-plan")
    assert kb.matcher._unlisted("can I use deepseek-v3.2 or deepseek", "coding-plan").count("unlisted model") == 2


@pytest.mark.parametrize("query", [
    "What is the context window of gpt-4o?",  # names none of the products: another vendor's question
    "is gemini-2.5-pro better than gpt-5 for coding",
])
def test_another_vendors_model_asked_about_alone_is_not_answered(kb: KnowledgeBase, query: str) -> None:
    assert not kb.answer(query).confident


def test_another_vendors_error_naming_its_model_is_not_answered(kb: KnowledgeBase) -> None:
    # OpenAI's per-minute limit for gpt-4o is not OpenClaw's "API rate limit reached", which had been given
    assert not kb.answer("openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached for "
                         "gpt-4o in organization org-abc on tokens per min (TPM)', 'code': 'rate_limit_exceeded'}}").confident
    # a documented error quoting such a model is ours: the user configured it in a tool on one of the plans
    assert confident_top(kb, "model 'claude-sonnet-4-20250514' is not supported") == "model 'xxx' is not supported"


@pytest.mark.parametrize("query", ['ERROR: relation "users" does not exist', "The specified bucket does not exist",
                                   "Error: user account does not exist", "Error: branch 'main' not found or not supported"])
def test_a_documented_message_said_of_another_thing_is_not_quoted(kb: KnowledgeBase, query: str) -> None:
    # "Model not exist" and "model 'xxx' not found or not supported" weigh almost all in "exist" and "found":
    # a relation, a bucket or a branch in the model's place had found them nine tenths whole
    assert not kb.answer(query).confident


@pytest.mark.parametrize("query", ["the requested model does not exist", "Error: 'qwen3.6-plus ' not found or not supported",
                                   "Error: Range of input length should be [1, 983616]"])
def test_a_documented_message_with_a_value_or_a_label_in_its_first_words_place_is_quoted(kb: KnowledgeBase,
                                                                                           query: str) -> None:
    # a model's id is what the message's "model 'xxx'" names; "Error:" only files the line under errors
    result = kb.answer(query)
    assert result.confident and result.matches[0].entry.kind == "error"


def test_documented_models_their_typos_and_leading_parts_are_listed(kb: KnowledgeBase) -> None:
    matcher = kb.matcher
    for name in ["qwen3-coder-plus", "qwen3-coder-pluss", "qwen3-coder", "deepseek-v4-pro", "kimi-k2.5"]:
        assert matcher._unlisted(f"can I use {name} on coding plan") == f"can I use {name} on coding plan"
    assert matcher._unlisted("can I use gpt-4o or qwen-max?") == "can I use  unlisted model  or  unlisted model ?"
    assert matcher._unlisted("Can I use GPT-4o?") == "Can I use  unlisted model ?"
    # written apart: a documented id ("qwen 3.5 plus", "glm 5") or its leading part ("qwen 3") is listed
    for text in ["is qwen 3.5 plus on coding plan", "glm 5 on coding plan", "does coding plan support qwen 3", "wan 2.7 image",
                 "glm 5 max thinking budget on coding plan"]:  # a documented name, then words ("max ...")
        assert matcher._unlisted(text) == text
    assert matcher._unlisted("claude sonnet 4.5 on token plan") == " unlisted model  on token plan"


@pytest.mark.parametrize(("text", "names"), [
    ("can I use Gemini 2.5 Pro?", [(10, 24, "gemini-2.5-pro")]),
    ("GPT 4o, Claude Sonnet 4.5 and llama 3 70B.", [(0, 6, "gpt-4o"), (8, 25, "claude-sonnet-4.5"), (30, 41, "llama-3-70b")]),
    ("Claude Code 2.0 and gemini are tools, o 3 a letter", []),  # a tool, a family alone, OpenAI's bare "o"
])
def test_model_names_written_apart_are_a_family_then_versions_and_variants(text: str, names: list) -> None:
    assert spaced_model_names(text) == names


@pytest.mark.parametrize(("text", "names"), [
    ("gpt-4o, o3-mini and llama3", ["gpt-4o", "o3-mini", "llama3"]),
    ("Claude-Sonnet-4 in claude-code", ["claude-sonnet-4"]),  # a tool named after its vendor is no model
    ("gemini-cli, o, gpt", []),  # a family without a version or a variant names no model
    ("see coding-intl.dashscope.aliyuncs.com/v1", []),
])
def test_model_names_are_a_family_with_a_version_or_a_variant(text: str, names: list[str]) -> None:
    assert model_names(text) == names


def test_a_name_on_screen_in_a_short_answer_is_not_what_its_question_asks(kb: KnowledgeBase) -> None:
    # "grant your account the Subscription Plans permission" names a permission: the RAM user's key
    # question is not asked by a RAM user asking to subscribe, which the subscription steps answer
    assert "RAM users are not supported" in confident_answer(kb, "Can a RAM user subscribe to coding plan?")
    # the answer's other words still count as asked, and so does a product's name on screen
    assert confident_top(kb, "who grants the permission for a RAM user to view the coding plan key") == \
        "How can a RAM user view or get the Coding Plan API key?"


def test_a_links_address_is_where_it_points_not_what_the_answer_says(kb: KnowledgeBase) -> None:
    # "For current quota limits by plan tier, see the [Coding Plan documentation](https://.../pricing/...)"
    # says nothing of a price: the overview's table of prices answers
    assert "$10/month" in confident_answer(kb, "How much does the cheaper Coding Plan tier cost each month?")


@pytest.mark.parametrize("query", ["Token Plan Team Edition GDPR", "how about an SLA for token plan team edition"])
def test_a_name_alone_is_no_documented_answer(kb: KnowledgeBase, query: str) -> None:
    # every entry of the edition holds its name, and the comparison table asks it in its question:
    # matched by the name and nothing else the query asks, it answers nothing asked
    assert confident_top(kb, query) is None


@pytest.mark.parametrize("query", ["Is the token plan the same as coding plan?", "so what exactly is this coding plan thing"])
def test_names_compared_or_defined_are_what_is_asked(kb: KnowledgeBase, query: str) -> None:
    assert confident_top(kb, query) is not None


@pytest.mark.parametrize(("query", "said"), [
    ("is my data used to train models", "User data authorization required"),
    ("do requests queue when it's busy", "Requests may queue during peak hours"),
    ("is it billed by tokens or by calls", "Billed per model call"),
])
def test_a_row_of_the_comparison_answers_what_only_it_says_of_a_product(kb: KnowledgeBase, query: str, said: str) -> None:
    # Coding Plan's documents never speak of training or peak hours: Token Plan's comparison tables do,
    # and a row of one, filed under both products, is the answer asked of Coding Plan
    result = kb.answer(query, "coding-plan")
    assert result.confident and result.matches[0].entry.shared and said in result.matches[0].entry.answer
    assert to_json(result)["answers"][0]["product"] is None


@pytest.mark.parametrize(("query", "top"), [
    ("Which image generation models does token plan support?", "Which image generation models are supported?"),
    ("which base url should I use for token plan", "Which API key and base URL should I use?"),
    ("Is my data used for training on token plan?", "How is my data protected?"),
])
def test_a_products_own_entry_answers_before_a_row_of_the_comparison(kb: KnowledgeBase, query: str, top: str) -> None:
    # "Supported models" and "Data security" say in a few words what these say in full
    assert confident_top(kb, query) == top


def test_the_comparisons_rows_do_not_count_in_how_rare_a_word_is(kb: KnowledgeBase) -> None:
    # they repeat the documents' own words: counted, they would make "data" or "peak" look commoner
    # than the documents make them, and move every score that weighs those words
    rows = [e for e, entry in enumerate(kb.matcher.entries) if entry.shared]
    assert rows
    own = len(kb.matcher.entries) - len(rows)
    for term in ("train", "peak", "isol"):
        postings = kb.matcher.term_weights[term]
        counted = sum(e not in rows for e in postings)
        assert kb.matcher.idf[term] == pytest.approx(math.log(1 + (own - counted + 0.5) / (counted + 0.5)))


@pytest.mark.parametrize("query", [
    "We run Cline in VS Code with an sk-sp key and the base url dashscope-intl.aliyuncs.com/compatible-mode/v1, "
    "and each request fails with 403. Why?",
    "403 from Cursor: key sk-sp-..., base url https://dashscope-intl.aliyuncs.com/compatible-mode/v1, what is wrong",
])
def test_a_status_the_documents_write_is_answered_by_an_entry_that_states_it(kb: KnowledgeBase, query: str) -> None:
    """The key-types table and the 401 question share more of the story's words (key, URL, tool), but
    say nothing of a 403: the rows that do answer it."""
    result = kb.answer(query)
    assert result.confident
    assert result.matches[0].entry.question == "403 invalid api-key"


@pytest.mark.parametrize(("query", "product", "said"), [
    ("is there a limit on how many api keys I can create", "token-plan", "one key per subscription"),
    ("can I get a second api key", "token-plan", "one key per subscription"),
    ("is there a limit on how many api keys I can create", "coding-plan", "only one api key"),
])
def test_how_many_keys_is_the_number_of_keys_not_keys_shared_by_many(kb: KnowledgeBase, query: str, product: str,
                                                                      said: str) -> None:
    """Token Plan states its limit in one line of its key-reset answer; "Can multiple people share one
    key?" holds "multiple" and "key" in its question, but its many are people."""
    assert said in norm(confident_answer(kb, query, product))


@pytest.mark.parametrize("query", [
    "my python script calls coding-intl with the sk-sp key and gets 'only available for Coding Agents'",
    'curl to coding-intl with sk-sp- returns "only available for Coding Agents", why?',
])
def test_the_end_of_a_message_quoted_names_the_message(kb: KnowledgeBase, query: str) -> None:
    # the cost-risk list shares the story's words (sk-sp-, scripts, coding-intl) and quotes the message in
    # passing; the error row is the message the user copied
    assert confident_top(kb, query) == "Coding Plan is currently only available for Coding Agents"


def test_a_quoted_part_names_no_message_when_short_or_inside_a_pasted_body(kb: KnowledgeBase) -> None:
    # two words besides stop words ("not supported") are said of too much to name one message
    assert _quoted_parts("cline says 'not supported' and 'is not supported'", None) == []
    assert _quoted_parts("I'm told 'only available for Coding Agents'", None) == [
        ["onli", "avail", "for", "code", "agent"]]
    # a pasted body's fields are quoted too: its message is scored whole, as the body's
    assert _quoted_parts("{'code': 'InvalidApiKey', 'message': 'invalid api-key'}", "invalid api-key") == []


@pytest.mark.parametrize("query", [
    "openai.PermissionDeniedError: Error code: 403 - {'error': {'message': 'invalid api-key'}} "
    "base_url=https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    "openai.APIStatusError: Error code: 403 - {'error': {'message': 'invalid api-key', 'code': 'invalid_api_key'}} "
    "(base_url=https://dashscope-intl.aliyuncs.com/compatible-mode/v1, key=sk-****)",
])
def test_a_message_another_products_row_writes_is_this_ones_under_the_status_its_answer_names(
        kb: KnowledgeBase, query: str) -> None:
    # "403 invalid api-key" is a row of Coding Plan's; of Token Plan's only the 401/403 answer lists it
    # ("If you see 401 invalid access token, InvalidApiKey, or 403 invalid api-key, ..."), and its own
    # rows file the words under 401: a pasted 403 of Token Plan is that answer's
    assert confident_top(kb, query, "token-plan") == "I got 401 or 403. Is my API key invalid?"
    # and "401 invalid access token", which Token Plan's own row writes, is that row's
    assert confident_top(kb, "401 invalid access token or token expired", "token-plan") == \
        "invalid access token or token expired"


@pytest.mark.parametrize("query", [
    "what if my card payment fails, does token plan keep working",
    "the last payment failed on my alibaba cloud account; will my token plan stop?",
])
def test_a_payment_that_failed_is_an_overdue_account_not_a_failed_request(kb: KnowledgeBase, query: str) -> None:
    # "payment fails" had read as a failure, and taken data_inspection_failed; the documents' word is overdue
    assert "prepaid subscription" in confident_answer(kb, query, "token-plan")
    # a payment processor's own error is still none of the documents' business
    assert not kb.answer("Stripe error: Your card was declined.").confident

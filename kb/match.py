"""Query -> ranked entries with scores. Pure: takes entries, returns results; no database, no web.

Three kinds of evidence, each earning its place on real queries:
- error templates: a documented error message with its placeholders (`xxx`) as slots, found in
  order inside a pasted JSON body or log line, tolerant of missing or extra words;
- concept coverage: how much of what the query asks (its rarer words, their synonyms and typo
  repairs) the entry holds, and how much of the entry's question the query asks;
- BM25 over question, answer and section to pick the candidates cheaply;
- when those leave the answer in doubt, sentence vectors (kb.dense): how near in meaning each of the
  best candidates is to the query, for paraphrases that share few words with the documents.
The score is calibrated so that `confident` means one threshold for every kind of entry.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process
from rapidfuzz.distance import OSA

from kb.products import BY_SLUG, CLUES, Edition, names_a_product, names_ours, product_of_query
from kb.query import CleanQuery, clean_query
from kb.textnorm import (
    COMPOUND,
    JOINED_ANY_CASE,
    LONGEST_ID,
    DETERMINERS,
    MODEL_FAMILIES,
    MODEL_NAME,
    PLACEHOLDER,
    STOPWORDS,
    Synonyms,
    camel_joined,
    compounds,
    default_synonyms,
    english_one_edit_from,
    hosts,
    is_english_word,
    is_host,
    model_names,
    spaced_model_names,
    NEGATORS,
    negated,
    negation_free,
    plural_free,
    read_words,
    specificity,
    stem,
    unlisted_hosts,
    without_runs,
    words,
    zipf,
)

CONFIDENT = 0.49  # scores at or above this answer the query; below, "no documented answer fits"
# a query naming a product (its name, an edition, a key or a host) asks within the documents' domain,
# where a documented answer is likelier: less evidence picks it out
CONFIDENT_NAMED = 0.46
# and a query asked of one product (the caller's `product`) whose every concept one question of that product
# holds, and no other, is answered by it at less: "can I use it from scripts" of Token Plan is its usage
# restrictions, the only place its documents write of scripts (measured: 0.3 gained 4 labelled questions and
# lost none; 0.2 answered 2 more and 2 off-topic product questions wrongly, 0.35 one fewer)
HELD_ALONE = 0.3
CANDIDATES = 40
# a sentence ends before the next one's first letter; one of two words or fewer is a log's ("npm ERR! ...")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[^\W\d_])")
MOST_SENTENCES, SENTENCE_WORDS = 4, 3
# and in a query of one sentence, a clause told on with no full stop starts with "I" or "we" after a
# word that is no function word: "how do I reset my key I already tried restarting" ("how do I", "can
# we" ask on); or it is a question asked after a comma, the story told before it: "I paid yesterday and
# changed my mind, can I cancel it"
RUN_ON = re.compile(r"(?<=\w)(?:(?P<comma>,)\s+(?=(?i:can|could|how|what|why|when|where|which|is|are|do|does|will|would|should)\s)"
                    r"|\s+(?=(?:I|i|we|We)\s))")
# (the words that join a clause to what came before it)
JOINING = STOPWORDS | {"after", "before", "until", "unless", "because", "whenever", "wherever", "whether", "and", "than", "like"}
STORY = 0.35  # a sentence answered this well alone is no story around the question: the query asks two things
EVERYDAY = 0.45  # specificity below which a word is among the commonest in English (Zipf above 5.4)
QUOTED = re.compile(r"[\"“”]([^\"“”]{8,160})[\"“”]")
# an error's code as a program writes it, named in a question: "How do I handle the data_inspection_failed error?"
ERROR_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+){2,}\b")
# an edition's entry not asked for ranks below the product's own unless it scores this much more: most
# who ask about "token plan" have the plan, not its team edition, whose document repeats most of its
# questions in other words (measured: 0.01 and 0.015 gained 1 and 2 labelled questions, 0.025 lost one)
EDITION_GAP = 0.015
# ... and when a query names the edition, the edition's best entry ranks first unless another of the
# product's scores this much more (`rank`; measured: 0.05 gained no labelled question, 0.1 and 0.15 one
# new one, 0.15 a test's paraphrase as well, and 0.2 lost a labelled one)
EDITION_NAMED = 0.15
# a kind of model other than text, named in an entry's question: "which models are supported" asks of the
# models a plan is for, text generation, and an entry about image models ranks below such an entry as an
# edition's does (EDITION_GAP) unless the query names the kind
KINDS = frozenset(stem(w) for w in ("image", "video", "audio", "speech", "tts", "vision", "multimodal"))
OTHER_PRODUCT = 0.6  # an inferred product scales the other product's scores by this
# a row of a table comparing the products ("Data security") says in a few words what an entry of one
# product's own says in full: it answers where none does (measured: 0.5 to 0.6 gained the most labelled
# answers, 0.7 lost 5 more, 0.8 13 more, 1 took "which image models does token plan have" from its entry)
COMPARED = 0.6
# a heading or question that joins topics ("Upgrades and downgrades") is asked by asking one of them
ALTERNATIVES = re.compile(r"\s+(?:and|or|&|vs\.?|versus)\s+|[/,;]|\?\s+(?=\S)", re.I)
# another document's entry that covers the query about as well as the top one, and states other
# figures or model ids, disagrees with it: the newer document wins and the response says so
RIVAL_SCORE, RIVAL_COVERAGE, RIVALS = 0.75, 0.9, 11
SAME_QUESTION = 85
# a query naming no product that another product's entry answers within this of the best score is
# answered by both: "401 invalid access token or token expired" is in both products' error tables, and
# what to do differs by the plan the user has, so that product's best entry is returned and named too
PRODUCT_TIE = 0.15
# the vendor's names that the documents' titles share ("Alibaba Cloud Model Studio") say which
# documentation a query is about, not which entry answers it: "an invoice for my Alibaba Cloud order"
CONTEXT = 0.3
VALUE = re.compile(r"\d+(?:[.,]\d+)*(?:am|pm|h|hr|hrs|m|min|mins|s|sec|secs|ms|k|kb|mb|gb|x|st|nd|rd|th)?")
FACT = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+(?:\.\d+)?\b")
LIST_MARK = re.compile(r"(?<!\S)\d{1,2}[.)](?=\s)")  # "1. ", "2) ": a numbered list's, stating nothing
SLOT_SPAN = 6
# a documented message said of another thing (`_substituted`) scores this share of its words found
SUBSTITUTED = 0.8
STOP_STEMS = frozenset(stem(w) for w in STOPWORDS)  # as a query's stems write them: "does" is "doe"
# words that file a line under errors without saying what failed
LABELS = frozenset(stem(w) for w in ("error", "errors", "exception", "failed", "failure", "fatal", "warning",
                                     "warn", "status", "code", "message", "http", "api", "response", "request"))
# a word rarer than this in English (Zipf: log10 uses per billion words) may be a typo of one
# LIKELIER points (a factor of 300) commoner: "wich" 2.8 of "which" 6.3
RARE_WORD, LIKELIER = 3.5, 2.5
# beside a word the documents write, a word they do not, one edit from the word they write next to it, is
# read as it up to this commonness: "moth allocated quota" (Zipf 3.5) is "month allocated quota", "coding
# pan" (4.4) "coding plan"; a word of everyday use ("coding plane", 4.7) only with more evidence (`_in_context`)
IN_CONTEXT_WORD = 4.5
STOP_SHARE = 0.2  # of its rarity, what a stop word of an error message weighs in aligning it
# a query asks an entry's question only as far as the entry explains the query: "can I get my money
# back for a flight" asks all of "Can I get a refund?", but its flight is nowhere in the documents
ASKED_MARGIN = 0.2
# a topic heading is asked no more than its words are the query's: "Subscribe to a coding plan" is
# all asked by "subscriptions" alone, yet "can one account hold two coding plan subscriptions" asks more
HEADING_MARGIN = 0.1
SAID = re.compile(r"(?<=[.!?])\s+|\n+")  # where an answer's sentences end
SAID_ASKED = 0.8  # a sentence of an answer asks what it tells this surely as a question does
SAID_HELD = 0.5  # if it holds this share of the query's weight
SHORT_ANSWER = 20  # words (stems): an answer this short is a sentence or two
# a name of something on screen or a linked page ("the Subscription Plans permission", "the Usage rules"):
# where to go, not what the answer is about (`_off_screen`)
SCREEN_NAME = re.compile(r"\b(?:[A-Z][\w-]*\s+)+"
                         r"(?=(?:permissions?|page|button|tab|console|menu|link|documentation|rules|polic(?:y|ies))\b)")
# a Markdown link's address: in "see the [Coding Plan documentation](https://www.qwencloud.com/pricing/coding-plan)"
# the words "pricing" and "coding plan" are where the link points, not what the sentence says
LINK_TARGET = re.compile(r"(?<=\])\(\s*https?://[^)\s]*\s*\)")
# an entry that opens by defining a name ("Coding Plan is a subscription plan from ..."), and the words
# that ask for a definition without naming a topic: "what is coding plan", "explain coding plan"
DEFINITION = re.compile(r"^\s*(?!(?:What|Which|Who|Where|When|Why|How|There|This|That|It|These|Those|The|A|An|Each|Every|"
                        r"Your|Our|My|Its|All|Any|No)\b)"
                        r"(?P<name>[A-Z][\w.\-]*(?:\s+[A-Z0-9][\w.\-]*){0,4})\s+(?:is|are)\s+(?:a|an|the)\s[^?]*$")
# besides stop words and the name, the words of a query asking what a name is: "explain the coding plan thing"
DEFINING = frozenset(stem(w) for w in """us tell explain describe define definition mean meaning exactly basically
    thing stuff service product offering overview intro introduction summary purpose""".split())
# a lexical score this high is decisive; below it, the best RERANK candidates are scored again, half
# on their words and half on the cosine of their sentence vector with the query's (measured on 676
# labelled queries: 0.5 and 10 held the off-topic ones back as well as words alone, and answered more)
DECISIVE, RERANK, LEXICAL = 0.7, 10, 0.5
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")  # "RateLimitError" is three words to the sentence model too
# what a question asks for, by its opening word: a name or a list ("Which image models are supported?"),
# or yes or no ("Can I use image models in coding tools?"). An entry asking for the other kind scores
# OTHER_KIND times as much: "which image models does token plan have" asks for the list. "How", "why"
# and "when" are left out: "how do I get a refund" asks "Can I get a refund?" (measured: 0.93 and this
# narrower split gained 2 customer questions and 2 paraphrase probes and lost none; 0.96 only tied them)
ASKS_FOR = {"which": "what", "what": "what", "can": "yes", "could": "yes", "is": "yes", "are": "yes", "do": "yes",
            "does": "yes", "will": "yes", "may": "yes", "should": "yes"}
YES_NO = frozenset(w for w, kind in ASKS_FOR.items() if kind == "yes")  # the verbs a yes/no question opens with
# so does an error row for a what/which or yes/no question quoting no error, and an entry with no URL in its
# answer for a query asking for one (see `_rank`)
OTHER_KIND = 0.93
# "which models can I use (with token plan)" asks which models are supported: what the documents list is
# what one may use. Not where the verb takes an object of its own: "which tools can I use coding plan with"
WHICH_CAN = re.compile(r"(?P<asked>\b(?:which|what)\s+(?:[\w.-]+\s+){1,4}?)(?:can|could|may)\s+(?:i|we)\s+"
                       r"(?:use|call|pick|choose|access|select|run|try)\b"
                       r"(?=\s*(?:[?.!,;]|$|(?:with|in|on|for|from|through|via|under|at|inside|when)\b))", re.I)
VERSUS = frozenset({"vs", "versus"})  # "X vs Y" asks what tells the two apart (see `_compared`)
COMPARING = VERSUS | {"differ"}
# a question asking when ("when does my quota reset", "what time", "how long until") is answered by an entry
# that tells a time: a clock time, a weekday, a span ("5 hours after"), a date or a cycle's turn; one
# that tells none scores OTHER_KIND times as much ("Wait for reset or upgrade" does not say when)
ASKS_WHEN = re.compile(r"(?:when\b|what time\b|at what time\b|how long (?:until|till|before)\b|how soon\b)", re.I)
# and, anywhere in a query, a time or day of resetting asked for by name: "month quota reset time coding plan"
NAMES_WHEN = re.compile(r"\b(?:reset|resets|renewal|refresh|restore|expiry|expiration)\s+(?:time|date|day|hour)s?\b", re.I)
TELLS_TIME = re.compile(r"\b\d{1,2}:\d{2}\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
                        r"|\b(?:\d+\s*-?\s*|(?:one|two|three|five|a|an|a few)\s+)(?:hours?|days?|minutes?|weeks?)\b"
                        r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d"
                        r"|\b(?:next|each|every|new)\s+(?:billing cycle|subscription month|month|cycle)\b"
                        r"|\bmonthly\b|\bimmediately\b", re.I)
# a question asking where ("where is my key", "where can I see my bills") is answered by an entry that tells
# a place: a console, a page, a menu, a settings file or a region, or who grants access; one that tells
# none scores OTHER_KIND times as much (a table of key types names the key, not where to find it)
ASKS_WHERE = re.compile(r"where\b", re.I)
TELLS_PLACE = re.compile(r"\b(?:console|page|go to|navigate|click|button|tab|menu|dashboard|settings?|section|center"
                         r"|portal|region|located|deployed|contact|permissions?)\b|~/|\.json\b", re.I)
HTTP_STATUS = re.compile(r"\b[45]\d\d\b")  # an HTTP error status as a question names one: "403 invalid api-key"
# a greeting or filler before the question ("hey which models ...") is not its opening word; one ended by a
# comma, and "quick question", query clean-up has dropped already
OPENING = re.compile(r"\W*(?:(?:hi|hello|hey|ok|okay|so|also|please|pls)\b\W*)*", re.I)
WAY = re.compile(r"what\s+(?:should|to|happens?|if|(?:do|can)\s+(?:i|we)\s+do)\b", re.I)
REFERS_BACK = re.compile(r"\b(?:it|them|they)\b", re.I)  # a pronoun for what another part tells
# a capitalised word inside a sentence: after a word, not at a sentence's start or after a code
NAME = re.compile(r"(?<=[A-Za-z,] )[A-Z][a-z]{2,}(?![\w'-])")
NAME_ZIPF = 5.0  # English words this common are no names, capitalised or not ("Could", "Please")
# capitalised words in a row inside a sentence: a name, however common its words ("the App Store")
NAME_RUN = re.compile(r"(?<=[A-Za-z,] )[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+(?![\w'-])")
# a name written in capitals after a word ("a student discount for ECS", "my AWS bill"): an acronym
ACRONYM = re.compile(r"(?<=[A-Za-z,] )[A-Z]{2,5}(?![\w'-])")
# where users run their tools, named beside an error: a language, a runtime, an SDK or a library calls go through
# (litellm, langchain), a system, a shell, an editor.
# None is another service with plans of its own ("Connection error in Python", "401 on Ubuntu"); Docker's
# and JetBrains' are ("a refund for my Docker subscription"), so they are not here
PLATFORMS = frozenset("""
python node nodejs deno bun java kotlin scala golang rust ruby php dotnet typescript javascript swift
windows macos linux ubuntu debian fedora centos alpine wsl powershell bash zsh fish vim neovim emacs
xcode android ios chrome firefox safari npm pnpm yarn pip conda homebrew brew sdk litellm langchain llamaindex
""".split())
# a query's first word is capitalised whatever it is; only a rare one is a name ("Gemini API 429 ...")
OPENER = re.compile(r"^\W*([A-Z][a-z]{2,})(?![\w'-])")
# a documented error message of this many words, found whole, says the error is the documents' own,
# whatever service or tool the query names: "I use Windsurf and get 401 invalid access token or token expired"
VERBATIM, VERBATIM_WORDS = 0.95, 4
# a span the query sets in quotation marks ("... and get 'only available for Coding Agents'"): what the
# user saw, copied; an opening mark follows a space or the start, so neither "I'm" nor a pasted body's
# '"message":"..."' (scored whole, as a body) opens one
QUOTED_IN_QUERY = re.compile(r"""(?:^|(?<=[\s(\[]))["'‘“`]([^"'‘’“”`\n]{8,160})["'’”`](?!\w)""")
QUOTED_PART_WORDS = 3  # a part of a message quoted says which message when it has this many words besides stop words
NOT = "not "  # a term a negation turns around: "not support" (see `_analyse`)
# the weight of a name that says where, not what: the host a failed connection never reached, a platform
# no document names ("Connection error in Python")
ASIDE = 0.25
URL = re.compile(r"\bhttps?://\S+")
HEAD_CLAUSE = re.compile(r"^([^,\[\]]+),\s+\S")  # a message's first clause, before a comma
CONNECTION_ERROR = " ".join(stem(w) for w in words("connection error"))  # the synonym list's group, as analysed
QUOTED_SLOT = re.compile(r"""['"‘“]x{3,}['"’”]""", re.I)  # a placeholder for a name, not a number
FAMILY = re.compile(r"([a-z]{3,})\d")  # the family's name in a model id whose version follows it unseparated
FAMILY_NAME = re.compile(r"[a-z]{3,}(?=[\d.\-_])")  # a model id's family, however joined: "glm" of "glm-5"
# an answer opening with the messages it is about, and the commas and "or" between them (not a range's)
LISTS_ERRORS = re.compile(r"\s*If you (?:get|see|receive) (.+?), (?=(?:the|your|refer|check)\b)")
LIST_SEPARATOR = re.compile(r",\s*(?![^\[]*\])(?:or\s+)?|\s+or\s+")
# an error code before the message, which queries often leave out: "400 InvalidParameter: Range of ..."
CODE_PREFIX = re.compile(r"^\s*(?:[45]\d\d\s+)?(?P<code>[A-Za-z][\w.]*[A-Z_.][\w.]*)\s*:\s*(?P<message>\S.{6,})$")

# one way of reading what an entry asks: its concepts with how specific each is, and whether they are a
# sentence of its answer (asked less surely, and only by a query they hold enough of) or its question
_Reading = tuple[list[tuple[frozenset[str], float]], bool]


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
    edition: Edition | None = None  # the product's variant its document is about, if any
    shared: bool = False  # a row of a table comparing the products, filed under none of them


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
    # when the query names no product: other products' entries that answer it about as well (PRODUCT_TIE)
    other_products: list[Match] = field(default_factory=list)


def _names(text: str, analysis: "_Analysis", names: Callable[[str], bool] = names_a_product) -> bool:
    """The query names what `names` looks for, as typed or with its typos repaired ("codng plan")."""
    return names(text) or names(" ".join(analysis.words))


class _Analysis(NamedTuple):
    words: list[str]
    stems: list[str]
    terms: set[str]  # stems, the synonyms they stand for, compounds
    phrases: list[tuple[int, int, str]]  # synonym phrases found: start, end, canonical
    compounds: list[str]  # model ids, versions and CamelCase words joined
    negated: frozenset[int] = frozenset()  # positions of the words a negation turns around
    turned: frozenset[str] = frozenset()  # terms the text says only negated ("not supported")
    repaired: tuple[tuple[str, str], ...] = ()  # a query's words read as other words: ("annnual", "annual")
    ours: bool = False  # a query about one of the products: a model no document lists is "unlisted model"


@dataclass
class _Template:
    entry: int
    tokens: list[str | None]  # stems; None is a slot for a placeholder
    status: str | None
    idfs: list[float]  # each token's idf, 0 for a slot
    head: bool  # a message's first clause only ("url error" of "url error, please check url!")
    needs_status: bool = False  # found only in a query that names its status (see the messages answers list)
    words: list[tuple[str, float]] = field(init=False)  # (stem, idf) of the words, slots left out
    weight: float = field(init=False)  # the idf of all its words
    content: int = field(init=False)  # how many different words it has besides stop words, a slot counted as one
    lead: int | None = field(init=False)  # where its first word besides stop words is, if it has one

    def __post_init__(self) -> None:
        self.words = [(t, w) for t, w in zip(self.tokens, self.idfs) if t is not None]
        self.weight = sum(w for _, w in self.words)
        self.content = len({t for t in self.tokens if t not in STOPWORDS})
        self.lead = next((k for k, t in enumerate(self.tokens) if t is not None and t not in STOPWORDS), None)


class Matcher:
    def __init__(self, entries: list[EntryView], synonyms: Synonyms | None = None,
                 vectors: np.ndarray | None = None, encode: Callable[[str], np.ndarray] | None = None) -> None:
        """`vectors` (one unit row per entry) and `encode` (query text -> unit vector) come together or not at all."""
        self.entries = entries
        self.vectors, self.encode = (vectors, encode) if vectors is not None and encode is not None else (None, None)
        self.syn = synonyms or default_synonyms()
        self.n = len(entries)
        self.editions = {entry.edition for entry in entries if entry.edition}
        # entries asking one question in the same words for one product and edition: returned once (`rank`)
        self.copies_of = {entry.id: (entry.product, entry.edition, default_process(entry.question)) for entry in entries}
        self.host_labels = _host_labels(entries)
        tfs: list[dict[str, float]] = []
        self.length: list[float] = []
        self.is_question: list[bool] = []
        self.asks_for: list[str | None] = []
        self.gives_url: list[bool] = []  # an error's entry is answered by its message, whatever it states
        self.tells_time: list[bool] = []
        self.tells_place: list[bool] = []
        self.says_status: list[frozenset[str]] = []  # the HTTP statuses an entry's question or answer writes
        self.any_status: frozenset[str] = frozenset()  # and those some entry writes
        self.takes_id: list[bool] = []  # an error whose message quotes a name in its placeholder: model 'xxx'
        self.kinds: list[frozenset[str]] = []  # the kinds of model (KINDS) its question is about
        # the products an entry's question names (by name, key or host), its own or another's, and those
        # its answer names too
        self.asks_of: list[frozenset[str]] = []
        self.tells_of: list[frozenset[str]] = []
        # an HTTP status a question names ("403 invalid api-key", "I got 401 or 403"): per status and product,
        # the questions naming it, so that a status asked alone names a topic where one question holds it
        self.statuses: dict[tuple[str, str | None], set[str]] = defaultdict(set)
        postings: dict[str, list[int]] = defaultdict(list)
        question_postings: dict[str, set[int]] = defaultdict(set)
        surface: set[str] = set()
        together: Counter[tuple[str, str]] = Counter()
        pending_questions: list[list[_Reading]] = []
        # every entry of a product holds its name as the synonym list reads it: one term, "token plan"
        product_terms = {slug: set(self._analyse(p.name).terms) for slug, p in BY_SLUG.items()}
        # the words that name a product or an edition: where a query asks, not what
        self.name_terms = frozenset().union(*product_terms.values(), *(self._analyse(ed.name).terms for ed in self.editions))
        # a product's name as a query's concept of it: "token plan", one term
        self.product_names = {frozenset({t}) for terms in product_terms.values() for t in terms if " " in t}
        self.definitions: list[tuple[int, frozenset[str]]] = []
        for e, entry in enumerate(entries):
            asks, defined = entry.question, DEFINITION.match(entry.question) if entry.kind != "error" else None
            if defined:
                # an opening that defines a name answers what the name is, not what else it mentions
                asks = f"What is {defined.group('name')}?"
                self.definitions.append((e, _named(self._analyse(defined.group("name")))))
            shown = _off_screen(entry.answer)
            question, written = self._analyse(asks), self._analyse(shown)
            # a link's address is words a user may type (the words the documents write, and their company,
            # for reading typos), not what the answer says
            answer = self._analyse(LINK_TARGET.sub(" ", shown)) if LINK_TARGET.search(shown) else written
            q_stems, q_terms, a_stems, a_terms = question.stems, question.terms, answer.stems, answer.terms
            s_terms = self._analyse(entry.section or "").terms
            surface.update(question.words, written.words, camel_joined(entry.question), camel_joined(entry.answer))
            for pair in {pair for ws in (question.words, written.words) for pair in zip(ws, ws[1:])}:
                together[pair] += 1
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
            tfs.append(dict(tf))
            self.length.append(3.0 * len(q_stems) + len(a_stems) + 1.0)
            # a short answer restates what its entry is about ("Token Plan does not use your conversation
            # data for model training" under "How is my data protected?"): its words count as asked too
            q_asks = q_terms - question.turned
            asked_terms = q_asks | a_terms if entry.kind != "error" and len(a_stems) <= SHORT_ANSWER else q_asks
            for t in asked_terms:
                question_postings[t].add(e)
            self.is_question.append(entry.kind == "error" or asks.rstrip().endswith(("?", "？")))
            self.asks_for.append(_asks_for(asks) if entry.kind != "error" and self.is_question[-1] else None)
            self.gives_url.append(entry.kind == "error" or bool(hosts(entry.answer)))
            self.tells_time.append(bool(TELLS_TIME.search(entry.answer)))
            self.tells_place.append(bool(TELLS_PLACE.search(entry.answer)))
            asked_statuses = HTTP_STATUS.findall(entry.question)
            self.says_status.append(frozenset(asked_statuses + HTTP_STATUS.findall(entry.answer)))
            self.any_status |= self.says_status[-1]
            for status in asked_statuses:
                self.statuses[status, entry.product].add(self.copies_of[entry.id][2])
            self.takes_id.append(entry.kind == "error" and bool(QUOTED_SLOT.search(entry.question)))
            self.kinds.append(KINDS & q_terms)
            self.asks_of.append(frozenset(p.slug for p in BY_SLUG.values() if p.hints.search(entry.question)))
            self.tells_of.append(self.asks_of[-1] | {p.slug for p in BY_SLUG.values() if p.hints.search(entry.answer)})
            if defined:
                # asked by asking what the name is and nothing else (`_defining`), not by every query that
                # names it, as nearly every query about a product does
                pending_questions.append([])
            else:
                whole = self._concepts(question, question=True)
                parts = [self._concepts(self._analyse(part), question=True) for part in ALTERNATIVES.split(asks)]
                read_whole = self.is_question[-1]  # only a topic heading lists alternatives; questions and errors are read whole
                readings = [(whole, False), *((p, False) for p in parts if p and len(parts) > 1 and not read_whole)]
                if entry.kind == "error" and (coded := CODE_PREFIX.match(entry.question)):
                    # an error is asked by its message without its code, as users quote it ("url error")
                    readings.append((self._concepts(self._analyse(coded.group("message")), question=True), False))
                if self.is_question[-1] and entry.kind != "error" and len(a_stems) > SHORT_ANSWER:
                    # a sentence of a longer answer is asked too, less surely than its question: "Are there
                    # usage restrictions?" ends "All supported models in Token Plan are full-featured,
                    # unquantized versions", which "are token plan models quantized" asks whole. A
                    # statement answers its negation's question ("unquantized" tells if it is quantized);
                    # a table's cell is no sentence ("Text generation and image generation models")
                    readings += [(said, True) for sentence in SAID.split(shown)
                                 if len(sentence.split()) >= 3 and sentence.rstrip().endswith((".", "!", "?"))
                                 and (said := self._concepts(self._analyse(sentence)))]
                pending_questions.append(readings)
            for t in terms:
                postings[t].append(e)
        self.avg_length = sum(self.length) / max(1, self.n)
        # an edition's name scopes a query: "what image models does token plan team edition have" asks
        # that document's "What image generation models are supported?" about it, though its question
        # does not repeat the name, so the name counts as asked in each question of the edition's
        # document; without it the one question that does name it ("What is the difference between
        # Token Plan Team Edition and Coding Plan?") wins
        self.editions_named = [
            (edition.named, frozenset(stem(w) for w in words(edition.name)),
             frozenset(e for e, entry in enumerate(entries) if entry.edition == edition))
            for edition in self.editions
        ]
        # rarity is counted over the documents' own entries: a comparison's rows repeat what they say
        own = {e for e, entry in enumerate(entries) if not entry.shared}
        counted = {t: sum(e in own for e in p) for t, p in postings.items()}
        self.idf = {t: math.log(1 + (len(own) - c + 0.5) / (c + 0.5)) for t, c in counted.items()}
        # words of two or more documents' titles that few questions ask about ("model" is a topic)
        titled: dict[str, set[str]] = defaultdict(set)
        for document, title in {entry.document: entry.title for entry in entries}.items():
            for w in words(title):
                titled[stem(w)].add(document)
        self.context = {t for t, documents in titled.items() if len(documents) >= 2 and t not in STOPWORDS
                        and len(question_postings.get(t, ())) <= 0.05 * self.n}
        self.unknown_idf = math.log(1 + (len(own) + 0.5) / 0.5)
        # inverted once here so a query touches only the entries that share its words:
        # BM25's saturated, length-normalised term frequency, per term and entry
        self.term_weights: dict[str, dict[int, float]] = {
            t: {e: self._saturate(tfs[e].get(t, 0.5), e) for e in p} for t, p in postings.items()
        }
        self.question_sets = {t: frozenset(p) for t, p in question_postings.items()}
        self._index_questions(pending_questions)
        # word pairs by how many entries write them, reached by the word they make run together
        self.apart: dict[str, tuple[str, int]] = {}
        # and by either word: a short typo is read by its neighbour ("api kee", "token pln")
        self.after: dict[str, dict[str, int]] = defaultdict(dict)
        self.before: dict[str, dict[str, int]] = defaultdict(dict)
        for (a, b), count in together.items():
            self.after[a][b] = self.before[b][a] = count
            if a.isalpha() and b.isalpha() and count > self.apart.get(a + b, ("", 0))[1]:
                self.apart[a + b] = (f"{a} {b}", count)
        # and the synonym list's phrases, as users write them: "mony back" is "money back", not "many". A
        # phrase's words are read plural-free: a pair the documents write in the plural ("more credits")
        # stays theirs alone
        for key, _ in (phrase for phrases in self.syn.starting.values() for phrase in phrases):
            for a, b in zip(key, key[1:]):
                if not any(plural_free(w) == b for w in self.after.get(a, ())):
                    self.after[a].setdefault(b, 1)
                if not any(plural_free(w) == a for w in self.before.get(b, ())):
                    self.before[b].setdefault(a, 1)
        self.written = frozenset(surface)
        surface |= self.syn.vocabulary  # "yaerly" is repaired to the synonym list's "yearly", as to a document's word
        self.vocabulary = sorted(w for w in surface if len(w) >= 4 and not w.isdigit())
        self.vocabulary_set = set(surface)
        self.hosts = sorted(t for t in self.idf if is_host(t))
        self.domains = sorted({_domain(host) for host in self.hosts})
        self.platforms = frozenset(stem(p) for p in PLATFORMS) - self.idf.keys()  # those no document names
        self.common = sorted(set(self.vocabulary) | STOPWORDS)  # what a rare English word may be a typo of
        self.stem_words: dict[str, str] = {}  # a stem of 6 or more letters the documents use, and its shortest word
        for w in sorted(self.vocabulary, key=len):
            if w.isalpha() and len(stem(w)) >= 6:
                self.stem_words.setdefault(stem(w), w)
        self.stems = sorted(self.stem_words)
        # bounded: queries bring endless new words, and the cache must not grow with them
        self._correct = lru_cache(maxsize=16384)(self._repair)
        self._tied = lru_cache(maxsize=16384)(self._rivals)
        self._postings = lru_cache(maxsize=16384)(self._concept_postings)
        self._weights = lru_cache(maxsize=16384)(self._weight)
        self.facts = {entry.id: _facts(entry) for entry in entries}
        # the models the documents name, and their families: a name of a family beside them is a model they
        # do not list ("qwen-max", "deepseek-r1"), as is one of a family no document names ("gpt-4o")
        texts = [entry.question + "\n" + entry.answer for entry in entries]
        ids_in = [{run for run in JOINED_ANY_CASE.findall(text.lower())
                   if len(run) <= LONGEST_ID and COMPOUND.search(run) and not is_host(run)} for text in texts]
        self.families = MODEL_FAMILIES | {m.group() for ids in ids_in for run in ids if (m := FAMILY_NAME.match(run))}
        named = [ids | set(model_names(text, self.families)) for ids, text in zip(ids_in, texts)]
        self.models = sorted(set().union(*named))
        # and those each product's documents name: one another product lists is no model of this one
        # ("can I use deepseek-v3.2 with coding plan")
        models_of: dict[str, set[str]] = defaultdict(set)
        for entry, found in zip(entries, named):
            if entry.product:
                models_of[entry.product] |= found
        self.models_of = {slug: sorted(found) for slug, found in models_of.items()}
        # a documented id as people write it in prose, its parts apart ("minimax m2.5", "qwen3.5 plus"):
        # the id, one thing named, not words of its own; the longest first ("glm 5.1" is no "glm 5"). One
        # run together ("glm5") is left as typed: in an error it is the name the service refused. With no
        # such id, the pattern matches nothing (an empty one would match at every character)
        apart = sorted((m for m in self.models if "-" in m), key=len, reverse=True)
        self.ids_apart = re.compile(r"(?<![\w.\-])(?:%s)(?![\w\-]|\.\w)" % ("|".join(
            r"(?:\s+|-)".join(re.escape(part) for part in m.split("-")) for m in apart) or "(?!)"), re.I)
        # a family named alone ("does coding plan support deepseek") whose models another product lists and
        # this one's documents never name: no word of English besides ("wan" is)
        families_of = {slug: {m.group() for d in found if (m := FAMILY_NAME.match(d))} for slug, found in self.models_of.items()}
        self.foreign_families = {
            slug: re.compile(r"\b(?:%s)\b(?![\w.-])" % "|".join(sorted(others)), re.I)
            for slug, own in families_of.items()
            if (others := {f for s, fs in families_of.items() if s != slug for f in fs - own if zipf(f) < RARE_WORD})}
        self.templates: list[_Template] = []
        self.template_postings: dict[str, list[int]] = defaultdict(list)
        rows = [(entry.product, entry.edition, {stem(w) for w in words(entry.question)}, set(HTTP_STATUS.findall(entry.question)))
                for entry in entries if entry.kind == "error"]
        for i, entry in enumerate(entries):
            if entry.kind == "error":
                self._add_template(i, entry.question, minimum=1)
                message = entry.question
                if m := CODE_PREFIX.match(entry.question):  # "InvalidApiKey: No API-key provided."
                    # without its code a message must say enough by itself: not a bare "Access denied"
                    self._add_template(i, message := m.group("message"), minimum=3)
                if clause := HEAD_CLAUSE.match(message):
                    self._add_template(i, clause.group(1), minimum=2, head=True)
            else:
                # a message quoted, or a code named, is found in a pasted error as an error's message is
                for text in QUOTED.findall(entry.question) + ERROR_CODE.findall(entry.question):
                    self._add_template(i, text, minimum=3)
                # and so is each message an answer opens by listing, unless an error row writes it (the row
                # answers it): of "If you get 404 status code (no body), endpoint not found, or connection
                # errors, the base URL path is usually wrong", "endpoint not found". Only a row of the same
                # document's kind answers a message filed under a status, though, if the query names that
                # status: Token Plan's "403 invalid api-key" is Coding Plan's row, and Token Plan's own rows
                # file the words under 401, so a pasted 403 of Token Plan is the answer's
                if listed := LISTS_ERRORS.match(entry.answer):
                    for text in LIST_SEPARATOR.split(listed.group(1)):
                        said = _content_stems(text)
                        if not any(said <= row for _, _, row, _ in rows):
                            self._add_template(i, text, minimum=2)
                        elif (status := set(HTTP_STATUS.findall(text))) and entry.product and not any(
                                _message_words(text) <= row and (not statuses or status <= statuses)
                                for of, edition, row, statuses in rows
                                if of is None or (of, edition) == (entry.product, entry.edition)):
                            self._add_template(i, text, minimum=2, needs_status=True)

    def _index_questions(self, questions: list[list[_Reading]]) -> None:
        """Each way of reading an entry's question (whole, one alternative of a joined heading, or a
        sentence of its answer) is a slot; a query term points at the concepts it satisfies, and they
        at their slots."""
        ids: dict[frozenset[str], int] = {}
        self.concepts_of_term: dict[str, list[int]] = defaultdict(list)
        self.slots_of_concept: list[list[tuple[int, float]]] = []
        self.slot_entry: list[int] = []
        self.slot_total: list[float] = []
        self.slot_said: list[frozenset[str] | None] = []  # an answer's sentence's terms; None for a question
        for e, readings in enumerate(questions):
            for concepts, said in readings:
                slot = len(self.slot_entry)
                self.slot_entry.append(e)
                self.slot_said.append(frozenset().union(*(c for c, _ in concepts)) if said else None)
                total = 0.0
                for concept, spec in concepts:
                    if concept not in ids:
                        ids[concept] = len(self.slots_of_concept)
                        self.slots_of_concept.append([])
                        for t in concept:
                            self.concepts_of_term[t].append(ids[concept])
                    weight = self._weight(concept, spec)
                    self.slots_of_concept[ids[concept]].append((slot, weight))
                    total += weight
                # a share of a sentence asked counts SAID_ASKED as much as that share of a question
                self.slot_total.append((total or 1.0) / (SAID_ASKED if said else 1.0))

    # --- analysis -----------------------------------------------------------------------
    def _analyse(self, text: str, query: bool = False, ours: bool = False, of: str | None = None) -> _Analysis:
        """A text's words, stems, synonyms and compounds. A query is read against the built index:
        its typos are repaired, a joined name the documents never write ("RateLimitError") is its
        parts only, not a word of its own, and a host name is one term, not its parts as words.
        `ours`: the query is about one of the products (it names one, or is scoped to one), so a
        model it names that no document lists is "an unlisted model" (see `_unlisted`); `of`: the one
        product it is about, if one, whose documents must list it."""
        as_typed = text
        if query:
            text = WHICH_CAN.sub(r"\g<asked> are supported", text)
            text = self.ids_apart.sub(_id_written_apart, text)
        if query and ours:
            text = self._unlisted(text, of)
        named_hosts = hosts(text)
        if query:  # a documented host mistyped in its ending too (".con" for ".com")
            named_hosts += [run for run in unlisted_hosts(text) if self._correct_host(run) != run]
        # a host's leading labels ("token-plan.ap-southeast-1") are no id of their own
        ids = [c for c in compounds(text) if not any(c in host for host in named_hosts)]
        # a host's own first label standing alone ("calling coding-intl") is the documents' short name for it
        labels = [label.lower() for label in self.host_labels.pattern.findall(text)]
        named_hosts += [self.host_labels.names[label] for label in labels]
        if query:
            # a host, or a model id the documents write ("qwen3-coder-plus"), is one thing the query
            # names: its parts are no words of their own, or one id would weigh as four words
            whole = set(named_hosts) | set(labels) | {c for c in ids if c in self.idf}
            if whole:
                text = without_runs(text, whole)
            named_hosts = [self._correct_host(h) for h in named_hosts]
        ws = read_words(text)
        repaired: tuple[tuple[str, str], ...] = ()
        if query:
            pieces = [self._correct(w).split(" ") for w in ws]
            if any(tied := [self._tied(w) for w in ws]):
                pieces = self._by_company(ws, pieces, tied)
            # a word repaired alone is weighed again beside its neighbours, as typed: "which mage models" is
            # image models, though "make" is the commoner word an edit from "mage"
            typed = [w if len(parts) == 1 else part for w, parts in zip(ws, pieces) for part in parts]
            read = self._in_context([part for parts in pieces for part in parts], typed)
            ends = list(accumulate(len(parts) for parts in pieces))
            repaired = tuple((w, new) for w, end, parts in zip(ws, ends, pieces)
                             if (new := " ".join(read[end - len(parts) : end])) != w)
            ws = read
            # a typo inside a documented id ("deepsek v3.2", "qwen3-codr-plus") hid the id, which is
            # one thing named, not its parts as words: the query is read again as repaired (the ids it
            # names only grow, so a reading again ends)
            if repaired and self._ids_named(as_read := _as_read(as_typed, repaired)) > self._ids_named(as_typed):
                again = self._analyse(as_read, query, ours, of)
                return again._replace(repaired=repaired + again.repaired)
        stems = [stem(w) for w in ws]
        phrases = self.syn.canonical(ws, stems)
        stems = self.syn.exact_stems(ws, stems, phrases)
        # a negated word stands for its topic too, as a synonym would: "unquantized" answers "quantized?"
        un = [(k, k + 1, stem(rest)) for k, w in enumerate(ws) if (rest := negation_free(w))]
        phrases += un
        # and for the topic turned around: a question asking why a model is "not supported" is not
        # asked by "which models are supported" (see `_concepts`)
        neg, turned = _turned_around(ws, stems, phrases, un) if un or NEGATORS.intersection(ws) else (set(), frozenset())
        joined = [stem(w) for w in camel_joined(text)]
        if query:
            joined = [j for j in joined if j in self.idf]
        found = ids + joined + named_hosts
        terms = set(stems) | {t for _, _, t in phrases} | set(found)
        if not query:
            # a model id names its family, though the family's name runs into a version: "qwen3.5-plus"
            # is a qwen model, as "glm-5" is a glm one
            terms |= {m.group(1) for c in ids if (m := FAMILY.match(c))}
        return _Analysis(ws, stems, terms, phrases, found, frozenset(neg), turned, repaired, query and ours)

    def _ids_named(self, text: str) -> set[str]:
        """The documented ids a query's text names, whole or with their parts apart."""
        apart = {_id_written_apart(found) for found in self.ids_apart.finditer(text)}
        return apart | {c for c in compounds(text) if c in self.idf}

    def _concepts(self, text: _Analysis, question: bool = False) -> list[tuple[frozenset[str], float]]:
        """What a text asks: one concept per content word, with how specific the word is in English.

        A concept is the word's stem and the synonyms covering it; a word inside a synonym phrase
        ("at once", "money back") stands only for the phrase's meaning, and is as specific as the
        word the phrase means ("use up" as "exhaust", not as "up"). A negated word is its topic
        turned around as well ("not supported" is "support" and "not support"), and in an entry's
        `question` only turned around: 'Why is my model "not supported"?' is asked by "model not
        supported", not by "which models are supported".
        """
        covering: dict[int, set[str]] = defaultdict(set)
        in_phrase: set[int] = set()
        for start, end, target in text.phrases:
            for k in range(start, end):
                covering[k].add(target)
                if end - start > 1:
                    in_phrase.add(k)
        seen: set[frozenset[str]] = set()
        out = []
        for k, (w, s) in enumerate(zip(text.words, text.stems)):
            if k in in_phrase:  # a phrase means something even when made of stop words: "how much"
                concept = frozenset(covering[k])
                if concept <= STOP_STEMS:  # or no topic, as the question word it stands for: "how long until"
                    continue
                specific = max(specificity(self.syn.surface[t.removeprefix(NOT)]) for t in concept)
            elif w in STOPWORDS or s in STOPWORDS:
                continue
            else:
                concept, specific = frozenset({s} | covering[k]), specificity(w)
            if question and k in text.negated:
                concept = frozenset(t for t in concept if t.startswith(NOT))
            if concept not in seen:
                seen.add(concept)
                out.append((concept, specific))
        for c in text.compounds:
            concept = frozenset({c})
            if concept not in seen:
                seen.add(concept)
                out.append((concept, 1.0))
        return out

    def _weight(self, concept: frozenset[str], specific: float = 1.0, ours: bool = False) -> float:
        """Rarity in the documents, tempered by how common the word is in English at large."""
        concept = frozenset(t.removeprefix(NOT) for t in concept)  # as rare as the topic it turns around
        known = [self.idf[t] for t in concept if t in self.idf]
        if known:
            return max(known) * specific * (CONTEXT if concept <= self.context else 1.0)
        if _is_value(concept) or all(is_host(t) for t in concept):
            return 0.3  # a value such as a limit, a port or a host no document names: says little about the topic
        # a word no document uses, however everyday ("phone", "pizza"), says the documents may not cover
        # this; only the commonest English words ("again", "stop", "team") say as little as their use.
        # In a query about one of the products (`ours`) it says so as surely as it is rare in English: there
        # "lots" and "behind" are a story's words, while "money back for a flight" names no product
        return self.unknown_idf * (specific if specific < EVERYDAY or ours else max(specific, 0.75))

    def _repair(self, word: str) -> str:
        """Two words run together that the documents write apart ("codingplan", "qwencode"), or a
        typo repaired to the nearest document word ("alocated" -> "allocated"), else the word itself."""
        if apart := self._apart(word):
            return apart
        if word in self.vocabulary_set or len(word) < 3 or word.isdigit() or not word.isascii() or word in STOPWORDS:
            return word
        if stem(word) in self.idf or stem(word) in self.syn.words:
            return word  # a word the documents or the synonym list know is no typo
        if len(word) == 3:
            # too short for an edit of any kind to be told from another word; only two neighbours swapped
            # into a word the documents write ("kye" -> "key", "ulr" -> "url"), or a doubled letter typed
            # once ("wek" -> "week", "htp" -> "http"), is taken, and only for a word English does not use
            near = {word[1] + word[0] + word[2], word[0] + word[2] + word[1],
                    *(word[:i] + word[i] + word[i:] for i in range(3))} & self.vocabulary_set
            return near.pop() if len(near) == 1 and not is_english_word(word) and word.isalpha() else word
        if is_english_word(word):
            # a rare English word one edit from a far commoner one is its typo ("wich", "thier"); a word
            # as common as its neighbour is a word ("trail" is no "trial", nor "quora" "quota"), and
            # so is any word of everyday use ("rust" is no "just")
            if zipf(word) >= RARE_WORD:
                return word
            floor = zipf(word) + LIKELIER
            near = [w for w, _, _ in process.extract(word, self.common, scorer=OSA.distance, score_cutoff=1, limit=None)
                    if zipf(w) >= floor]
            return max(near, key=zipf) if near else word
        near = self._near(word)
        if not near:
            # a form the documents do not write, mistyped: its stem an edit from one of theirs
            # ("downrading", whose "downrad" is "downgrad", of "downgrade")
            found = process.extractOne(stem(word), self.stems, scorer=OSA.distance, score_cutoff=1) if len(word) >= 7 else None
            return self.stem_words[found[0]] if found else word
        if min(n[1] for n in near) > 1 and (closer := english_one_edit_from(word, RARE_WORD)):
            return closer  # "stoped" is "stopped", an edit away, not the documents' "scope", two away
        # the fewest edits, then one that keeps the typo's first letter (typing seldom loses or changes it:
        # "anual" is "annual", not "manual"), then the word the documents use most; two words run together
        # stay two ("codingplna")
        nearest = min(near, key=lambda n: (n[1], n[0][0] != word[0], -len(self.term_weights.get(stem(n[0]), ()))))[0]
        return self._apart(nearest) or nearest

    def _near(self, word: str) -> list[tuple[str, int, int]]:
        """Document words within the edits a typo of this length may hold (1 up to five letters, then 2;
        a swap of neighbours is one), fewest first."""
        return process.extract(word, self.vocabulary, scorer=OSA.distance, score_cutoff=1 if len(word) <= 5 else 2,
                               limit=None)

    def _rivals(self, word: str) -> tuple[str, ...]:
        """The document words as near to a typo as its repair ("liet": "lite" and "list", an edit each),
        for the query's other words to choose between (see `_by_company`); none for a word not repaired."""
        repaired = self._correct(word)
        if repaired == word or " " in repaired or is_english_word(word) or len(word) < 4:
            return ()
        near = self._near(word)
        # best first; as near and as likely a typo: keeping its first letter if the repair does
        fewest = [w for w, d, _ in near if d == near[0][1] and (w[0] == word[0]) == (repaired[0] == word[0])]
        if repaired not in fewest:  # repaired otherwise ("stoped" is English's "stopped", not the documents' "scope")
            return ()
        return tuple(w for w in fewest if w != repaired and w.isalpha())

    def _by_company(self, ws: list[str], pieces: list[list[str]], tied: list[tuple[str, ...]]) -> list[list[str]]:
        """Of a typo's repairs an edit away each, the one found in the entries that hold the query's other
        words: "liet 5 hour limit" is "lite", whose entries give hour limits, not "list"."""
        out = list(pieces)
        for k, rivals in enumerate(tied):
            if not rivals:
                continue
            company = {stem(p) for j, parts in enumerate(pieces) if j != k for p in parts
                       if p not in STOPWORDS and stem(p) in self.term_weights}

            def shared(word: str) -> int:
                holders = self.term_weights.get(stem(word), {})
                return sum(len(holders.keys() & self.term_weights[c].keys()) for c in company)

            best = max([pieces[k][0], *rivals], key=shared)  # the repair itself first: it wins a tie
            out[k] = [best]
        return out

    def _apart(self, word: str) -> str | None:
        """Two words run together that the documents write apart more often ("codingplan"), written apart."""
        if zipf(word) >= IN_CONTEXT_WORD:
            return None  # a word of everyday use is a word: "nobody" is not "no body", nor "today" "to day"
        apart, joined = self.apart.get(word, ("", 0)), len(self.term_weights.get(stem(word), ()))
        return apart[0] if apart[1] > joined else None

    def _in_context(self, ws: list[str], typed: list[str] | None = None) -> list[str]:
        """A word the documents do not write, as `typed` before any repair, one edit from a word they write
        beside its neighbour (as repaired, in `ws`), is that word: "api kee" is "api key", "token pln"
        "token plan", "coding pan" "coding plan". Alone, three letters are too few to tell which word a
        typo was meant to be.

        A word of everyday use (IN_CONTEXT_WORD), or one longer than five letters, is as likely meant as
        typed, and is read so only where the word it becomes is also asked beside another word of the
        query (in one question of the documents): "how to rest my api key" is "reset" ("to reset",
        "How to reset the API key"), "coding plane" "coding plan"; "the rest of my quota" stays."""
        out = list(ws)
        typed = typed or ws
        in_phrase: set[int] | None = None
        for k, w in enumerate(typed):
            if not (len(w) >= 3 and w.isalpha() and w not in self.written and w not in STOPWORDS
                    and stem(w) not in self.idf and stem(w) not in self.syn.words):
                continue
            rare = len(w) <= 5 and zipf(w) < IN_CONTEXT_WORD and w not in self.syn.vocabulary
            if not rare and len(w) < 4:
                continue
            options: Counter[str] = Counter()
            for near in (self.after.get(ws[k - 1], {}) if k else {}, self.before.get(ws[k + 1], {}) if k + 1 < len(ws) else {}):
                for candidate, count in near.items():
                    if OSA.distance(w, candidate, score_cutoff=1) <= 1 and candidate.isalpha():
                        options[candidate] += count
            if not options or out[k] in options:  # a repair the neighbours allow stands
                continue
            best = options.most_common(1)[0][0]
            if rare and zipf(w) >= max(RARE_WORD, zipf(best)):
                continue  # a word English uses, and more than the repair: "coding plan tied to" is no "plan tier"
            if not rare:
                if in_phrase is None:  # a word of a synonym's phrase ("plug in") means the phrase
                    in_phrase = {i for start, end, _ in self.syn.canonical(typed, [stem(t) for t in typed])
                                 for i in range(start, end) if end - start > 1}
                if k in in_phrase or not self._asked_beside(best, [p for j, p in enumerate(out) if j != k]):
                    continue
            out[k] = best
        return out

    def _asked_beside(self, word: str, others: list[str]) -> bool:
        """One question of the documents asks `word` and one of `others` (stop words aside)."""
        holders = self.question_sets.get(stem(word), frozenset())
        return any(holders & self.question_sets.get(stem(o), frozenset()) for o in others if o not in STOPWORDS)

    def _elsewhere(self, text: str, analysis: _Analysis, verbatim: bool = False) -> bool:
        """The query is about another service: it names one the documents never do, and no product or
        tool they cover. "Quota exceeded for aiplatform.googleapis.com" is Google's quota, however well
        its words match one of ours; "the refund policy for Netflix" is Netflix's. A name is no such
        evidence beside a documented message quoted whole (`verbatim`): it is the tool the user runs."""
        # and so is a big vendor's model, in a query about none of the products (`_foreign_model`)
        foreign = self._foreign_name(text) or (not analysis.ours and self._foreign_model(text))
        if not (self._foreign_host(analysis) or (not verbatim and foreign)):
            return False
        return not _names(text, analysis)

    def _foreign_host(self, analysis: _Analysis) -> bool:
        """Hosts named, none of them under a domain the documents name (or one mistyped). Claude Code's
        message that links Anthropic's docs is Claude Code's. A connection that failed reached no
        service: the host it names is where a tool was pointed, a base URL that may be the mistake."""
        named = [c for c in analysis.compounds if is_host(c)]  # a documented host mistyped is read as it
        if not named or not self.domains or CONNECTION_ERROR in analysis.terms:
            return False
        return not any(host in self.idf or process.extractOne(_domain(host), self.domains, scorer=OSA.distance,
                                                              score_cutoff=2) for host in named)

    def _foreign_name(self, text: str) -> bool:
        """A name written capitalised or in capitals inside a sentence ("a refund from Steam", "weather in
        Hangzhou", "a discount for ECS") that no document writes, nor is a typo of a word they do. Among about 1,000 labelled questions it
        is in 35 off-topic ones and in no answerable one: error messages' capitals ("403 Forbidden",
        "[Errno 111]") follow no word, and English's commonest words ("Could") are no names. The query's
        first word counts only if it is rare in English as well ("Gemini API 429 ..."), as every first
        word is capitalised. Capitalised words in a row are a name however common each is ("the App
        Store"), when no document writes them in a row and one is a word no document uses."""
        for run in NAME_RUN.findall(text):
            ws = run.lower().split()
            if (any(w not in STOPWORDS and w not in PLATFORMS and not self._ours(w) for w in ws)
                    and not all(self.after.get(a, {}).get(b) for a, b in zip(ws, ws[1:]))):
                return True
        opener = OPENER.match(text)
        names = [*NAME.findall(text), *ACRONYM.findall(text)]
        for name, common in [(name, NAME_ZIPF) for name in names] + ([(opener[1], RARE_WORD)] if opener else []):
            word = name.lower()
            if word in STOPWORDS or word in PLATFORMS or zipf(word) >= common:
                continue
            if not self._ours(word):
                return True
        return False

    def _ours(self, word: str) -> bool:
        """A word the documents or the synonym list use, or a typo of one of theirs."""
        return stem(word) in self.idf or stem(word) in self.syn.words or self._typo_of_ours(word)

    def _foreign_model(self, text: str) -> bool:
        """A model of another vendor's family, which no document lists ("Rate limit reached for gpt-4o"):
        asked of none of the products, the question or the error is that vendor's."""
        # the big vendors' families, by default
        return (any(not self._listed(n) for n in model_names(text))
                or any(not self._listed_apart(name) for _, _, name in spaced_model_names(text)))

    def _typo_of_ours(self, word: str) -> bool:
        """A name that is a document word mistyped: one edit away, or the words it runs together. Two
        edits from a document word is too far for a name ("Cohere" is no "coder")."""
        repaired = self._correct(word)
        return repaired != word and (" " in repaired or OSA.distance(word, repaired) <= 1)

    def _correct_host(self, host: str) -> str:
        """A host a document names, when the query's is one of them mistyped (".co" for ".com")."""
        if host in self.idf or not self.hosts:
            return host
        found = process.extractOne(host, self.hosts, scorer=OSA.distance, score_cutoff=2)
        return found[0] if found else host

    def _unlisted(self, text: str, of: str | None = None) -> str:
        """The text with each model it names that no document lists written "unlisted model": asked about
        a product, "can I use gpt-4o with it" asks whether a model the plan does not list works, which
        the documents answer ("Coding Plan supports only the models listed"), though no document names
        gpt-4o. A documented model's name, a typo of one or its leading part ("qwen3-coder") is listed;
        asked `of` one product, only that product's documents list it: deepseek-v3.2 is Token Plan's."""
        models = self.models_of.get(of, self.models)
        if of in self.foreign_families:
            text = self.foreign_families[of].sub(" unlisted model ", text)
        # written apart first ("Gemini 2.5 Pro"): its family word alone is no name of the joined kind. Its
        # words may run on past a documented name ("glm 5 max thinking budget"), which is then the name
        for start, end, name in reversed(spaced_model_names(text, self.families)):
            if not self._listed_apart(name, models):
                text = f"{text[:start]} unlisted model {text[end:]}"
        names = [n for n in model_names(text, self.families) if not self._listed(n, models)]
        if not names:
            return text
        return MODEL_NAME.sub(lambda m: " unlisted model " if m.group().lower() in names else m.group(), text)

    def _listed_apart(self, name: str, models: list[str] | None = None) -> bool:
        """A name written apart (`spaced_model_names`) that is, or runs on past, a listed one: "qwen 3" is
        "qwen3", and "glm 5 max thinking budget" names glm-5, not a "glm-5-max"."""
        parts = name.split("-")
        leading = ["-".join(parts[:k]) for k in range(2, len(parts) + 1)]
        return any(self._listed(n, models) or self._listed(n.replace("-", "", 1), models) for n in leading)

    def _listed(self, name: str, models: list[str] | None = None) -> bool:
        """A documented model's name, its leading part ("qwen3-coder"), its name after a vendor's prefix
        ("deepseek-v4-pro" of "v4-pro"), or a typo of one ("qwen3-coder-pluss")."""
        listed = self.models if models is None else models
        if _names_one_of(name, listed):
            return True
        if listed is not self.models and _names_one_of(name, self.models):  # another product's, not a typo of this one's
            return False
        return len(name) >= 6 and process.extractOne(name, listed, scorer=OSA.distance, score_cutoff=1) is not None

    def _add_template(self, entry: int, text: str, minimum: int, head: bool = False, needs_status: bool = False) -> None:
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
        # a stop word counts little: "model not supported" is the message "model 'xxx' is not supported"
        idfs = [0.0 if t is None else self.idf.get(t, 1.0) * (STOP_SHARE if t in STOPWORDS else 1.0) for t in tokens]
        template = _Template(entry, tokens, status, idfs, head, needs_status)
        self.templates.append(template)
        for t in set(content):
            self.template_postings[t].append(len(self.templates) - 1)

    # --- matching -------------------------------------------------------------------------
    def _template_score(self, template: _Template, positions: dict[str, list[int]], query_stems: list[str],
                        statuses: frozenset[str], shared: float) -> float:
        """The idf share of a template's words found in order in the query, slots absorbing values.

        Alignment is anchored on every shared word and grown both ways, so a query that drops the
        message's first or last words still lines up with the rest. `shared` is the idf of the words
        the query has at all: an alignment that finds them all cannot be bettered.
        """
        best = 0.0
        for i, p in self._anchors(template.tokens, positions):
            got = template.idfs[i] + self._extend(template, i, query_stems, p, +1)
            got += self._extend(template, i, query_stems, p, -1)
            best = max(best, got / template.weight if template.weight else 0.0)
            if got >= shared - 1e-9:
                break
        best = _filed(template, statuses, best)
        if self._substituted(template, positions, query_stems):
            best *= SUBSTITUTED
        return best

    @staticmethod
    def _substituted(template: _Template, positions: dict[str, list[int]], query: list[str]) -> bool:
        """Whether the query has another word where the template has its first: the message is said of
        something else. "The specified bucket does not exist" is no "Model not exist", nor "branch 'main'
        not found or not supported" "model 'xxx' not found or not supported", whose shared words say
        only that a thing is missing. Words that label a line as an error ("Error: Range of input length
        ...") and values (a model's id where the message names "model") stand for nothing else, nor does
        a word two edits from the first, a typo of it."""
        tokens, lead = template.tokens, template.lead
        if lead is None or tokens[lead] in positions:
            return False
        after = next((k for k in range(lead + 1, len(tokens)) if tokens[k] is not None and tokens[k] in positions), None)
        if after is None:
            return False
        slot = None in tokens[lead + 1 : after]
        for p in positions[tokens[after]]:
            q = _said_before(query, p - 1)
            if slot:  # the word before takes the slot's place: an id there is what the message names
                if q >= 0 and _in_id(query, q):
                    continue
                q = _said_before(query, q - 1)
            if q >= 0 and (w := query[q]) not in tokens and w not in LABELS and not _in_id(query, q) \
                    and OSA.distance(w, tokens[lead]) > 2:  # "moddle not exsit", repaired as "middle", is a typo of it
                return True
        return False

    @staticmethod
    def _anchors(tokens: list[str | None], positions: dict[str, list[int]], most: int = 64) -> list[tuple[int, int]]:
        """(template word, query position) pairs where the word occurs, the first `most` of them."""
        found = [(i, p) for i, t in enumerate(tokens) if t is not None for p in positions.get(t, ())]
        return found[:most]

    def _shared(self, template: _Template, positions: dict[str, list[int]]) -> float:
        """The idf of the template's words that the query has anywhere."""
        return sum(w for t, w in template.words if t in positions)

    def _template_bound(self, template: _Template, shared: float, statuses: frozenset[str]) -> float:
        """The most `_template_score` can give: every shared word aligned."""
        if not template.weight:
            return 0.0
        bound = shared / template.weight
        return bound + 0.05 if template.status and template.status in statuses else bound

    @staticmethod
    def _extend(template: _Template, i: int, query: list[str], at: int, step: int) -> float:
        """The idf of the template's words after (step +1) or before (step -1) its word i found in
        order in the query from position `at` on, each within a word of the last, or within
        SLOT_SPAN words after a slot."""
        tokens, idfs, size = template.tokens, template.idfs, len(query)
        got, q, after_slot = 0.0, at + step, False
        for j in range(i + step, len(tokens) if step > 0 else -1, step):
            t = tokens[j]
            if t is None:
                after_slot = True
                continue
            for k in range(SLOT_SPAN if after_slot else 2):
                p = q + k * step
                if not 0 <= p < size:
                    break
                if query[p] == t:
                    got += idfs[j]
                    q = p + step
                    break
            after_slot = False
        return got

    def search(self, raw: str, product: str | None = None, limit: int = 3) -> Result:
        return self.rank(clean_query(raw), product, limit)

    def rank(self, query: CleanQuery, product: str | None = None, limit: int = 3, fresh: bool = False) -> Result:
        """The query's best answers, with whether the best is one to give (`Result.confident`).

        A query that tells more than it asks ("I'm on macOS with the latest version. Is coding plan
        refundable?") is read whole first; if no answer is sure, each sentence is read alone, and one
        answered surely is the answer when the others are the story around it: none finds an answer of
        STORY or more by itself, and the whole names no other service. `fresh`: the query's vector is
        computed, not taken from the encoder's cache."""
        ours = product is not None or names_ours(query.text)
        of = product or query.product
        analysis = self._analyse(query.text, query=True, ours=ours, of=of)
        if not of and analysis.repaired and (of := product_of_query(_as_read(query.text, analysis.repaired))):
            # a product named with a typo ("codng plan") is the product the query is about as well
            ours = True
            analysis = self._analyse(query.text, query=True, ours=ours, of=of)
        result = self._rank(query, analysis, product, limit, fresh)
        if result.confident or not (parts := _sentences(query.text)):
            return result
        if self._elsewhere(query.text, analysis):
            return result
        # a part naming nothing but a product asks nothing alone: "my api key leaked on github, what do I
        # do for coding plan" is not "what is coding plan"; nor does one asking what to do about "it"
        readings = [(part, read) for part in parts if not _asks_of_story(part)
                    and not self._defining(read := self._analyse(part, query=True, ours=ours, of=of))]
        told = sorted((self._rank(replace(query, text=part, message=""), read, product, limit, fresh) for part, read in readings),
                      key=lambda r: r.matches[0].score if r.matches else 0.0, reverse=True)
        if not told or not told[0].confident or any(r.matches and r.matches[0].score >= STORY for r in told[1:]):
            return result
        return replace(told[0], query=query)

    def _rank(self, query: CleanQuery, analysis: _Analysis, product: str | None, limit: int, fresh: bool) -> Result:
        """`rank` of one reading of the query: `analysis` is `_analyse` of its text, done once by the caller."""
        given = product is not None
        # a product the query names only with a typo ("codng plan") is named once typos are repaired, and
        # so is a second product: "mix coding plan and topen plan keys" names both
        if not product:
            named = product_of_query(_as_read(query.original, analysis.repaired)) if analysis.repaired else query.product
            # and a product named beside another's host is named by the words, which leave hosts out; named,
            # not hinted at by a tier: the words split CamelCase, and "LiteLLM" names no Lite plan
            product = named or product_of_query(" ".join(analysis.words), CLUES)
        stems, terms = analysis.stems, analysis.terms
        weighted = self._concepts(analysis)
        # words that say where, not what, weigh ASIDE: where the user runs the tool, when no document names it
        # ("Connection error in Python"), and where a connection that failed was pointed, its host and the path
        # of its URL ("Post https://.../v1/chat/completions: dial tcp ...")
        pointed: set[str] = set()
        if CONNECTION_ERROR in terms:
            pointed = ({c for c in analysis.compounds if is_host(c)}
                       | {stem(w) for url in URL.findall(query.text) for w in words(url)})
        weighted = [(c, spec * ASIDE if c <= self.platforms or c & pointed else spec) for c, spec in weighted]
        concepts = [c for c, _ in weighted]
        weights = [self._weights(c, spec, analysis.ours) for c, spec in weighted]
        total = sum(weights) or 1.0

        # BM25, and the weight of the query's concepts each entry holds, anywhere and in its question
        bm25: dict[int, float] = defaultdict(float)
        covered_weight: dict[int, float] = defaultdict(float)
        question_weight: dict[int, float] = defaultdict(float)
        # of a pasted error body, the share of its message's concepts each entry holds
        said = self._analyse(query.message, query=True, ours=analysis.ours).terms if query.message else set()
        message_total = sum(w for c, w in zip(concepts, weights) if c & said) or 1.0
        message_weight: dict[int, float] = defaultdict(float)
        scoped = [(names, members) for pattern, names, members in self.editions_named if pattern.search(query.text)]
        compared = self._compared(analysis)
        # the entries holding something the query asks besides the names of products and editions, and
        # whether it asks anything else: "what is the SLA for Token Plan Team Edition" is matched by the
        # edition's comparison table only by the name, which every entry of the edition holds. Names
        # compared ("token plan or coding plan"), or a name asked to be defined, are what the query asks
        beyond_names: set[int] = set()
        beyond = [not c <= self.name_terms and not c <= DEFINING for c in concepts]
        asked_beyond = not compared and sum(c in self.product_names for c in concepts) < 2 and any(beyond)
        for concept, weight, other in zip(concepts, weights, beyond):
            tf, anywhere, in_question = self._postings(concept)
            for names, members in scoped:
                if concept & names:  # the edition's document is about it, in every entry
                    anywhere, in_question = anywhere | members, in_question | members
            if compared and concept & COMPARING:
                anywhere = anywhere | compared
            for e, v in tf.items():
                bm25[e] += weight * v
            for e in anywhere:
                covered_weight[e] += weight
            if asked_beyond and other:
                beyond_names |= anywhere
            if concept & said:
                for e in anywhere:
                    message_weight[e] += weight
            for e in in_question:
                question_weight[e] += weight

        positions: dict[str, list[int]] = defaultdict(list)
        for p, s in enumerate(stems):
            positions[s].append(p)
        # aligning a template costs; one whose shared words could not reach 0.5 can only lift an entry
        # that scores below its bound cubed, so it is aligned later, and only for such an entry
        template_scores: dict[int, float] = {}
        later: dict[int, list[tuple[float, _Template, float]]] = defaultdict(list)
        verbatim = False  # a documented message of VERBATIM_WORDS or more found whole
        # of entries tied on their score, the one whose message found whole is the longest matches more of
        # the paste: "401 invalid access token or token expired" over a table's "401 invalid access token"
        whole: dict[int, int] = {}
        heads: set[int] = set()  # entries whose message's first clause the query quotes whole
        parts = _quoted_parts(query.text, query.message)
        for tid in {tid for s in positions for tid in self.template_postings.get(s, ())}:
            template = self.templates[tid]
            if template.needs_status and template.status not in query.statuses:
                continue
            shared = self._shared(template, positions)
            bound = self._template_bound(template, shared, query.statuses)
            part = bool(parts) and not template.head and any(_within(part, template.tokens) for part in parts)
            if template.head:  # quoted only whole: see `heads`
                if bound >= VERBATIM and self._template_score(template, positions, stems, query.statuses, shared) >= VERBATIM:
                    heads.add(template.entry)
            elif bound >= 0.5 or part:
                found = score = self._template_score(template, positions, stems, query.statuses, shared)
                if part:  # as the message found whole, under its status or another
                    score = max(score, _filed(template, query.statuses, VERBATIM))
                template_scores[template.entry] = max(template_scores.get(template.entry, 0.0), score)
                if found >= VERBATIM:
                    verbatim = verbatim or template.content >= VERBATIM_WORDS
                    whole[template.entry] = max(whole.get(template.entry, 0), template.content)
            else:
                later[template.entry].append((bound, template, shared))

        # a definition asked for is found whole, as a template is
        for e in self._defining(analysis):
            template_scores[e] = 1.0
        candidates = set(sorted(bm25, key=bm25.__getitem__, reverse=True)[:CANDIDATES])
        if not candidates:  # only words most entries use ("can I use coding plan with emacs"): those holding them
            candidates = set(sorted(covered_weight, key=covered_weight.__getitem__, reverse=True)[:CANDIDATES])
        candidates |= {e for e, s in template_scores.items() if s >= 0.5} | heads
        # an id the query names anywhere is the name an error found in it quotes ("qwen3-coder-plus ...
        # says model not found" is model 'xxx' not found), though not in the placeholder's place
        for concept, weight in zip(concepts, weights):
            if len(concept) == 1 and COMPOUND.fullmatch(term := next(iter(concept))) and not is_host(term):
                holders = self._postings(concept)[1]
                for e in template_scores:
                    if self.takes_id[e] and e not in holders:
                        covered_weight[e] += weight
        reverse = self._asked(terms, concepts, weights)
        # an edition's entry ties below the product's own unless the query asks for the edition (EDITION_GAP)
        unasked = {edition for edition in self.editions if not edition.hints.search(query.text)}
        # (-score, (edition or kind of model not asked for, -words found whole, -bm25), entry): sorted
        # plainly, the best first, ties broken
        ranked: list[tuple[float, tuple[int, int, float], int]] = []
        coverage: dict[int, float] = {}
        quoted: set[int] = set()  # entries scored by their error message found in the query
        entries, is_question, statuses = self.entries, self.is_question, query.statuses
        # the question word is read as repaired, as the words are: "wich image modles" asks which
        read = _as_read(query.text, analysis.repaired) if analysis.repaired else query.text
        wants = _asks_for(read)
        # a query asking for a base URL (and naming none) is answered by an entry that gives one: "coding
        # plan openai compatible base url" is not answered by a table of scripts' API types and endpoints
        wants_url = "base url" in terms and not any(is_host(c) for c in analysis.compounds)
        wants_time = _opens_with(ASKS_WHEN, read) or bool(NAMES_WHEN.search(read))
        wants_place = _opens_with(ASKS_WHERE, read)
        # a status the query names anywhere ("every call fails with 403"; `query.statuses` holds only those
        # a pasted response labels as one) is answered by an entry that writes it, if any entry does: the
        # key-types table shares a 403 story's words (key, URL, tool) but says nothing of a 403
        wants_status = {t for c in concepts for t in c if t in self.any_status}
        for e in candidates:
            entry_product = entries[e].product
            if given and entry_product not in (product, None):
                continue
            covered = covered_weight.get(e, 0) / total
            in_question = question_weight.get(e, 0) / total
            asked = min(reverse.get(e, 0.0), covered + ASKED_MARGIN)
            if is_question[e]:
                score = 0.45 * covered + 0.2 * in_question + 0.35 * asked
            else:  # a topic heading over a body of facts: the body says more than the heading
                score = 0.7 * covered + 0.1 * in_question + 0.2 * min(asked, in_question + HEADING_MARGIN)
            found = template_scores.get(e)
            if found is None and e in later and max(b for b, _, _ in later[e]) ** 3 > score:
                found = template_scores[e] = max(self._template_score(t, positions, stems, statuses, shared)
                                                 for _, t, shared in later[e])
            if found is not None:
                # a template half found is weak evidence, and the less of the query its entry explains, the
                # weaker: "connection errors and 404s" asks of 404s too, and an entry that answers both wins.
                # An entry that explains a pasted body's whole message explains the error, whatever labels
                # (type, code) the body files it under: those are shared by errors of one kind
                explained = max(covered, message_weight.get(e, 0.0) / message_total) if said else covered
                literal = found**3 * (0.7 + 0.3 * explained)
                if literal > score:
                    score = literal
                    quoted.add(e)
            if e in heads and covered > score:
                # a message's first clause quoted whole ("cursor says url error") says which error the query
                # is about, as far as the entry explains the rest of it: a git "URL returned error" is not it
                score = covered
                quoted.add(e)
            if product and not given and entry_product not in (product, None):
                score *= OTHER_PRODUCT
            if wants and self.asks_for[e] and self.asks_for[e] != wants:
                score *= OTHER_KIND
            elif wants and entries[e].kind == "error" and e not in quoted:  # asks a question, quotes no error
                score *= OTHER_KIND
            if wants_time and not self.tells_time[e]:
                score *= OTHER_KIND
            if wants_place and not self.tells_place[e]:
                score *= OTHER_KIND
            if wants_url and not self.gives_url[e]:
                score *= OTHER_KIND
            if wants_status and e not in quoted and not wants_status & self.says_status[e]:
                score *= OTHER_KIND
            if entries[e].shared:
                score *= COMPARED
            aside = (entries[e].edition in unasked) + bool(self.kinds[e] - terms)
            ranked.append((-round(min(score, 1.0), 4), (aside, -whole.get(e, 0), -bm25.get(e, 0.0)), e))
            coverage[e] = covered
        ranked.sort()
        if self.encode is not None and ranked and -ranked[0][0] < DECISIVE:
            encode = getattr(self.encode, "__wrapped__", self.encode) if fresh else self.encode  # past an lru_cache
            # the sentence model reads the query as repaired: a typo is a word it does not know
            ranked = self._by_meaning(encode(CAMEL.sub(" ", read)), ranked, quoted)
        ranked.sort(key=lambda r: r[0] + EDITION_GAP * r[1][0])
        spoken_to = True
        if product and not given:
            # a query naming a product is answered first by the best entry that speaks to it: "my token plan
            # key on the coding-intl url gives invalid access token" is Token Plan's 401 row, not Coding Plan's;
            # if none does, the product named has no documented answer
            first = next((k for k, r in enumerate(ranked) if self._speaks_to(r[2], product, query.text)), None)
            if first is None:
                spoken_to = False
            else:
                ranked.insert(0, ranked.pop(first))
        # a query writing an edition's full name is answered by the edition's document unless the
        # product's own answer scores clearly higher (EDITION_NAMED): "do unused Team Edition credits
        # roll over" is the edition's "How does usage reset work?", though Token Plan's "When do my
        # credits reset?" shares more of its words; an error the edition's document does not list
        # ("Range of max_tokens ...") is still the product's
        if len(scoped) == 1 and ranked:  # the edition named in full, its entries
            first = next((k for k, r in enumerate(ranked) if r[2] in scoped[0][1]), None)
            if (first and entries[ranked[first][2]].product == entries[ranked[0][2]].product
                    and ranked[first][0] - ranked[0][0] <= EDITION_NAMED):
                ranked.insert(0, ranked.pop(first))
        del ranked[max(2 * limit, RIVALS + 1):]  # what is returned (less copies), and what may overrule the top answer
        scored = [Match(entries[e], -score) for score, _, e in ranked]
        conflicts = self._prefer_newer(scored, [coverage[e] for _, _, e in ranked], set(stems))
        # one threshold on the best-scored answer: a newer document's that overrules it may score a little
        # lower and is as sure; a query of numbers alone ("0", "429", "2026") names no topic, however well it matches,
        # but for a status one question of the product names (`_status_named_once`)
        best = -ranked[0][0] if ranked else 0.0
        confident = ((best >= CONFIDENT or (best >= CONFIDENT_NAMED and _names(query.text, analysis, names_ours))
                      or (given and best >= HELD_ALONE and self._held_alone(ranked[0][2], covered_weight, total)))
                     and (not all(_is_value(c) for c in concepts) or self._status_named_once(concepts, ranked[0][2], product))
                     and not self._elsewhere(query.text, analysis, verbatim)
                     and (ranked[0][2] in beyond_names or not asked_beyond)
                     and spoken_to)
        # a question another document of the product (and edition) asks in the same words is answered
        # once, by the better ranked: a second copy takes the place of another answer (of the top
        # answer's copies, `_prefer_newer` has put the newest first and named the others it overrules)
        matches: list[Match] = []
        seen: set[tuple] = set()
        for m in scored:
            if len(matches) == limit:
                break
            if (copy := self.copies_of[m.entry.id]) not in seen:
                seen.add(copy)
                matches.append(m)
        others = self._other_products(scored) if confident and product is None else []
        mine = [k for k, m in enumerate(matches) if k and m.entry.product == matches[0].entry.product]
        for m in others:
            if m not in matches and mine:  # in place of the top product's last; ranked below them all
                del matches[mine.pop()]
                matches.append(m)
        return Result(query, product, given, confident, matches, conflicts, others)

    def _compared(self, analysis: _Analysis) -> frozenset[int]:
        """The entries that hold both sides of an "X vs Y" or a "difference between X and Y" the query
        writes: stating both, they compare them ("lite vs pro price" is the price table, with Lite and Pro
        columns), though they need not say "difference"."""
        ws = analysis.words
        pairs = [(k - 1, k + 1) for k, w in enumerate(ws) if w in VERSUS and 0 < k < len(ws) - 1]
        if "between" in ws and "differ" in analysis.stems:
            b = ws.index("between")
            if "and" in ws[b + 2 :] and (a := ws.index("and", b + 2)) + 1 < len(ws):
                pairs.append((b + 1, a + 1))

        def holders(j: int) -> frozenset[int]:
            term = next((t for start, end, t in analysis.phrases if start <= j < end and end - start > 1), analysis.stems[j])
            return self._postings(frozenset({term}))[1]

        return frozenset().union(*(holders(x) & holders(y) for x, y in pairs))

    def _speaks_to(self, e: int, product: str, text: str) -> bool:
        """Whether an entry may answer a query that names `product`: it is that product's, or no
        product's, or its question names that product ("What is the difference between Token Plan and
        Coding Plan?"). Its answer naming the product answers only a query that names the entry's own
        product too, asking how the two go together ("can the team edition key be used with coding
        plan"): Token Plan's "Which API key and base URL should I use?" adds that Coding Plan's URLs do
        not work with its keys, and is no answer to "coding plan base url for the openai sdk". Coding
        Plan's "Can I use the Model Studio free trial with Coding Plan?" says nothing of Token Plan at
        all. A product the caller gives goes further: no other product's entry is ranked at all."""
        entry = self.entries[e]
        if entry.product in (product, None) or product in self.asks_of[e]:
            return True
        own = BY_SLUG[entry.product]
        return product in self.tells_of[e] and bool(own.hints.search(text) or entry.edition and entry.edition.named.search(text))

    def _held_alone(self, top: int, covered_weight: dict[int, float], total: float) -> bool:
        """Whether the top entry is the one question of its product and edition that holds every concept
        of the query, in its question or its answer: copies of it in other documents count once."""
        mine = self.copies_of[self.entries[top].id]  # (product, edition, question)
        holders = {copy for e, weight in covered_weight.items()
                   if weight >= total * 0.999  # all of it, but for rounding
                   and (copy := self.copies_of[self.entries[e].id])[:2] == mine[:2]}
        return holders == {mine}

    def _status_named_once(self, concepts: list[frozenset[str]], top: int, product: str | None) -> bool:
        """Whether a query of numbers alone ("I got 403") names HTTP statuses that one question of the
        product, that of its top entry, names all of: a bare number names no topic, but a status one error
        is filed under does. "429" names two of Token Plan's errors and so still none; "401 or 403" names
        one question that asks of both ("I got 401 or 403. Is my API key invalid?")."""
        named = {t for c in concepts for t in c if HTTP_STATUS.fullmatch(t)}
        if product is None or not named:
            return False
        questions = set.intersection(*(self.statuses.get((status, product), set()) for status in named))
        return questions == {self.copies_of[self.entries[top].id][2]}

    @staticmethod
    def _other_products(scored: list[Match]) -> list[Match]:
        """Each other product's best entry that scores within PRODUCT_TIE of the top one and says
        something else (best first, as `scored` is)."""
        top = scored[0]
        if top.entry.product is None:
            return []
        best: dict[str, Match] = {}
        for m in scored[1:]:
            p = m.entry.product
            if p is not None and p != top.entry.product and p not in best and m.score >= top.score - PRODUCT_TIE:
                best[p] = m
        return [m for m in best.values() if m.entry.answer != top.entry.answer]

    def _by_meaning(self, vector: np.ndarray, ranked: list[tuple[float, tuple[int, int, float], int]],
                    quoted: set[int]) -> list[tuple[float, tuple[int, int, float], int]]:
        """The best candidates scored half on their words and half on their nearness in meaning; the
        rest as if nowhere near, so a candidate the words did not find is never lifted over one they did.
        An error message found in the query is evidence of its own: a log line around it means little
        to the sentence model, so its entry is never scored lower than the words scored it."""
        head = [r for r in ranked[:RERANK] if r[0] < 0]
        near = self.vectors[[e for _, _, e in head]] @ vector
        out = []
        for (score, b, e), c in zip(head, near):
            mixed = min(1.0, LEXICAL * -score + (1 - LEXICAL) * max(0.0, float(c)))
            out.append((-round(max(mixed, -score) if e in quoted else mixed, 4), b, e))
        out += [(-round(LEXICAL * -score, 4), b, e) for score, b, e in ranked[len(head):]]
        out.sort()
        return out

    def _defining(self, query: _Analysis) -> list[int]:
        """The entries defining a name when the query asks what the name is and nothing else: "what is
        coding plan" is asked by "Coding Plan is a subscription plan ...", which its words, common
        to most entries, never find. "what can't I do with coding plan" asks something else."""
        named = _named(query)
        if not named or not self.definitions:
            return []
        return [e for e, name in self.definitions if named == name]

    def _saturate(self, tf: float, e: int) -> float:
        return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * self.length[e] / self.avg_length))

    def _concept_postings(self, concept: frozenset[str]) -> tuple[dict[int, float], frozenset[int], frozenset[int]]:
        """A concept's BM25 term weight per entry (the best of its terms), and the entries that
        hold it anywhere and in their question. Queries share concepts, so this is cached."""
        found = [self.term_weights[t] for t in concept if t in self.term_weights
                 and len(self.term_weights[t]) <= 0.6 * self.n]  # words most entries use pick nothing out
        tf = found[0] if len(found) == 1 else _maximum(found)
        return tf, _holders(concept, self.term_weights), _holders(concept, self.question_sets)

    def _asked(self, terms: set[str], concepts: list[frozenset[str]], weights: list[float]) -> dict[int, float]:
        """Per entry, the weighted share of its question's concepts that the query mentions,
        taking the best reading where a heading joins alternatives. A sentence of an answer is asked
        only by a query it holds SAID_HELD of: "anthropic api key not working in cursor" does not ask
        "the exclusive API key will not work", which holds neither Anthropic nor Cursor."""
        matched = {cid for t in terms for cid in self.concepts_of_term.get(t, ())}
        got: dict[int, float] = defaultdict(float)
        for cid in matched:
            for slot, weight in self.slots_of_concept[cid]:
                got[slot] += weight
        best: dict[int, float] = {}
        total = sum(weights) or 1.0
        for slot, weight in got.items():
            e = self.slot_entry[slot]
            share = weight / self.slot_total[slot]
            if (said := self.slot_said[slot]) is not None and \
                    sum(w for c, w in zip(concepts, weights) if c & said) < SAID_HELD * total:
                continue
            if share > best.get(e, 0.0):
                best[e] = share
        return best

    def _prefer_newer(self, scored: list[Match], covered: list[float], asked: set[str]) -> list[tuple[EntryView, str]]:
        """When documents of one product disagree on what the query asks, the newest goes first.

        Disagreeing means stating other figures or model ids about the same things: two entries that
        share none of their facts ("Pricing and usage", "Cost Risk Scenarios") answer different
        questions that the query's words happen to touch, and neither overrules the other.
        """
        if not scored:
            return []
        top, top_covered = scored[0], covered[0]
        top_facts = self.facts[top.entry.id] - asked
        group = [top] + [
            m for m, c in zip(scored[1 : RIVALS + 1], covered[1 : RIVALS + 1])
            if m.score >= RIVAL_SCORE * top.score
            and c >= RIVAL_COVERAGE * top_covered
            and m.entry.document != top.entry.document
            and m.entry.product == top.entry.product
            and m.entry.edition == top.entry.edition  # an edition's document describes another thing
            and m.entry.kind == top.entry.kind
            and (facts := self.facts[m.entry.id] - asked) and facts & top_facts and facts != top_facts
        ]
        if len(group) == 1:
            return []
        newest = max(group, key=lambda m: (m.entry.updated or dt.date.min, m.score))
        # the newest overrules an entry that asks the same question, or by stating something it does
        # not: a newer entry that says less about another question ("Refresh rules") is no disagreement
        news = self.facts[newest.entry.id] - asked
        group = [m for m in group if m is newest or news - self.facts[m.entry.id]
                 or _same_question(m.entry.question, newest.entry.question)]
        if len(group) == 1:
            return []
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


def _turned_around(ws: list[str], stems: list[str], phrases: list[tuple[int, int, str]],
                   un: list[tuple[int, int, str]]) -> tuple[set[int], frozenset[str]]:
    """The positions a negation turns around, and the terms the text says only turned around; adds
    to `phrases` each such term turned ("not support"). A phrase that holds its own negation means
    what it says ("no credits left"); one a negation reaches is turned around whole ("no api-key")."""
    spans = [range(start, end) for start, end, _ in phrases if end - start > 1]
    neg = negated(ws) - {k for span in spans if any(ws[i] in NEGATORS for i in span) for k in span}
    neg |= {k for k, _, _ in un}
    neg |= {k for span in spans if neg.intersection(span) for k in span}
    if not neg:
        return neg, frozenset()
    said = [*enumerate(stems), *((k, t) for start, end, t in phrases for k in range(start, end))]
    turned = frozenset({t for k, t in said if k in neg} - {t for k, t in said if k not in neg})
    inside = {k for span in spans for k in span}
    phrases += [(start, end, NOT + t) for start, end, t in phrases if start in neg]
    phrases += [(k, k + 1, NOT + stems[k]) for k in sorted(neg - inside)]
    return neg, turned


def _filed(template: _Template, statuses: frozenset[str], score: float) -> float:
    """A template's score as the statuses a query labels bear on it: a little more under its own status,
    less under another's."""
    if template.status and statuses:
        return min(1.0, score + 0.05) if template.status in statuses else score * 0.85
    return score


def _message_words(text: str) -> set[str]:
    """The stems of an error's message besides stop words, without the status and code before it: of "400
    InvalidParameter: Range of input length should be [1, xxx]", those of "Range of input length ..."."""
    text = HTTP_STATUS.sub(" ", text, count=1)
    if m := CODE_PREFIX.match(text):
        text = m.group("message")
    return _content_stems(text)


def _content_stems(text: str) -> set[str]:
    """The stems of a text's words besides stop words."""
    return {stem(w) for w in words(text)} - STOPWORDS


def _quoted_parts(text: str, message: str | None) -> list[list[str]]:
    """The spans a query sets in quotation marks, as stems, that may be part of a documented message: a part
    quoted, such as its end, names the message as surely as the whole ("a python script ... and get 'only
    available for Coding Agents'"). None of a pasted body (`message`): its fields are quoted too, and its
    message is scored whole, as the body's."""
    if message:
        return []
    parts = ([stem(w) for w in words(quoted)] for quoted in QUOTED_IN_QUERY.findall(text))
    return [part for part in parts if len(set(part) - STOPWORDS) >= QUOTED_PART_WORDS]


def _within(part: list[str], tokens: list[str | None]) -> bool:
    """Whether `part` is a run of `tokens`, as many words in the same order."""
    n = len(part)
    return any(tokens[k : k + n] == part for k in range(len(tokens) - n + 1))


def _id_written_apart(found: re.Match[str]) -> str:
    """A documented id found with its parts apart ("MiniMax M2.5") as the id; as typed if none are."""
    return re.sub(r"\s+", "-", found.group().lower()) if re.search(r"\s", found.group()) else found.group()


def _as_read(text: str, repaired: tuple[tuple[str, str], ...]) -> str:
    """The text with each word the matcher repaired written as it was read."""
    for word, read in repaired:
        text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", read, text, flags=re.I)
    return text


def _off_screen(answer: str) -> str:
    """An answer without the names of what it points to on screen, which say where to go, not what the
    answer is about: "grant your account the Subscription Plans permission" is about a permission, not
    subscribing. A product's name stays ("the Token Plan page")."""
    return SCREEN_NAME.sub(lambda m: m.group() if names_a_product(m.group()) else " ", answer)


def _asks_for(text: str) -> str | None:
    """"what" or "yes" by a question's opening word (see ASKS_FOR), else None. "What should I do",
    "what to do" and "what happens" ask for a way or an outcome, as "how" does."""
    text = text[OPENING.match(text).end():]
    if WAY.match(text):
        return None
    first = re.match(r"[A-Za-z]+", text)
    return ASKS_FOR.get(first.group().lower()) if first else None


def _opens_with(asking: re.Pattern[str], text: str) -> bool:
    """Whether a question opens with `asking` (ASKS_WHEN, ASKS_WHERE, WAY), after any greeting, as `_asks_for` reads it."""
    return bool(asking.match(text, OPENING.match(text).end()))


def _asks_of_story(part: str) -> bool:
    """Whether a part asks what to do or what happens of something another part tells: "what happens
    to it?" after "if my key leaks on GitHub" asks nothing alone."""
    return _opens_with(WAY, part) and bool(REFERS_BACK.search(part))


def _sentences(text: str) -> list[str]:
    """The sentences of a query that tells more than its question, each of SENTENCE_WORDS words or
    more; none for a query of one sentence or of more than MOST_SENTENCES (a log or a trace)."""
    sentences = SENTENCE_END.split(text)
    if len(sentences) == 1:  # told on without a full stop: its clauses ("models I never configured" is one)
        sentences = _clauses(text)
    parts = [p for p in sentences if len(p.split()) >= SENTENCE_WORDS]
    return parts if 2 <= len(parts) <= MOST_SENTENCES else []


def _clauses(sentence: str) -> list[str]:
    """A sentence's clauses (`RUN_ON`): one starts at "I" or "we" after a word that is no joining word,
    or at a question asked after a comma. A question whose subject is a thing ("does a key ...", "is
    the model ...") goes on past an "I" or "we" that tells of that thing: "does a key I pasted into a
    public repo get suspended" is one question, not "does a key" and a story."""
    out, start = [], 0
    for m in RUN_ON.finditer(sentence):
        before = sentence[start : m.start()].split()
        if m["comma"] is None and len(before) >= 2 and before[0].lower() in YES_NO and before[1].lower() in DETERMINERS:
            continue
        if before and (m["comma"] or before[-1].lower() not in JOINING):
            out.append(sentence[start : m.start()])
            start = m.end()
    return [*out, sentence[start:]]


def _domain(host: str) -> str:
    """The name a host's owner registered: its last two labels ("aliyuncs.com")."""
    return ".".join(host.split(".")[-2:])


class _HostLabels(NamedTuple):
    names: dict[str, str]  # first label -> host
    pattern: re.Pattern[str]


def _host_labels(entries: list[EntryView]) -> _HostLabels:
    """The hosts the documents name, by their first label where that label is a name of its own: hyphened
    ("coding-intl", not "dashscope"), of one host only, and not a product's name ("token-plan")."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for host in hosts(f"{entry.question}\n{entry.answer}"):
            by_label[host.split(".")[0]].add(host)
    names = {label: found.pop() for label, found in by_label.items()
             if "-" in label and len(found) == 1 and not any(p.names.search(label) for p in BY_SLUG.values())}
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True)) or r"(?!)"
    return _HostLabels(names, re.compile(rf"(?<![\w.-])({alternatives})(?![\w-]|\.\w)", re.I))


def _named(text: _Analysis) -> frozenset[str]:
    """The stems of a text's words that are neither stop words nor words asking what something is."""
    return frozenset(s for w, s in zip(text.words, text.stems) if w not in STOPWORDS and s not in STOPWORDS
                     and s not in DEFINING)


def _same_question(a: str, b: str) -> bool:
    """Two wordings of one question: "What/Which image models are supported?", or one inside the other."""
    return fuzz.token_set_ratio(a, b, processor=default_process) >= SAME_QUESTION


def _names_one_of(name: str, models: list[str]) -> bool:
    """Whether a name is one of the models, their leading part or one after a vendor's prefix (see `Matcher._listed`)."""
    return any(name == d or d.startswith(name) and d[len(name)] in ".-_" or name.endswith(("-" + d, "." + d))
               for d in models)


def _said_before(words: list[str], k: int) -> int:
    """Where the last word at or before k is that is no stop word (-1 if none): "does" and the "t" of
    "doesn't" say nothing of what a message is about."""
    while k >= 0 and (words[k] in STOP_STEMS or len(words[k]) == 1 and not words[k].isdigit()):
        k -= 1
    return k


def _in_id(words: list[str], k: int) -> bool:
    """Whether word k is a value or a piece of an id the words split: "qwen3.9-max" reads "qwen3 9 max",
    "acme-7" "acme 7"."""
    return any(c.isdigit() for w in words[max(0, k - 1) : k + 2] for c in w) or COMPOUND.fullmatch(words[k]) is not None


def _is_value(concept: frozenset[str]) -> bool:
    """A number, a figure or a version, bare or with its unit: "429", "30,720", "4.7", "7pm", "5h", "3rd"."""
    return all(VALUE.fullmatch(t) for t in concept)


def _holders(concept: frozenset[str], postings: Mapping[str, Collection[int]]) -> frozenset[int]:
    """The entries holding any of a concept's terms."""
    return frozenset().union(*(postings[t] for t in concept if t in postings))


def _maximum(weights: list[dict[int, float]]) -> dict[int, float]:
    out: dict[int, float] = {}
    for each in weights:
        for e, v in each.items():
            if v > out.get(e, 0.0):
                out[e] = v
    return out


def _facts(entry: EntryView) -> frozenset[str]:
    """Figures and model ids an entry states (those the query itself names are set aside per query)."""
    text = f"{entry.question}\n{entry.answer}"
    return frozenset(set(FACT.findall(LIST_MARK.sub(" ", text))) | set(compounds(text)))

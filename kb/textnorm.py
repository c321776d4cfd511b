"""Words, stems and synonyms: how the matcher sees a text. The same steps apply to documents and queries."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from string import ascii_lowercase

import snowballstemmer
from wordfreq import get_frequency_dict, zipf_frequency

_STEMMER = snowballstemmer.stemmer("english")
# "RateLimitError" and "HTTPError" are words run together; "URLs", "APIs" and "IDEs" are one word
# in the plural, whose "s" starts no word
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z](?!s\b)[a-z])")
WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff\uf900-\ufaff]+")
# model ids and versions ("qwen3-coder-plus", "glm-4.7") are single terms as well as their parts
COMPOUND = re.compile(r"\b[a-z][a-z0-9]*\d[a-z0-9]*(?:[.\-_][a-z0-9]+)+|\b[a-z]+(?:[.\-_][a-z0-9]+)*[.\-_]\d+(?:\.\d+)?\b")
# COMPOUND backtracks quadratically over a long run of joined parts ("x.y" * 3000), so it reads only
# runs short enough to be an id; finding the runs is linear (no start inside a run, no backtracking)
JOINED = re.compile(r"(?<![a-z0-9_])_*+[a-z0-9]++(?:[.\-_][a-z0-9]++)++_*+")
LONGEST_ID = 80
# a word written in CamelCase ("OpenCode", "DashScope"), which users also type as one lower-case word
CAMEL_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]*[a-z][A-Z][A-Za-z]*(?![A-Za-z0-9])")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")  # "1,000,000", not "[1, 200]" nor "1,2,3"
THOUSANDS = re.compile(r"(?<![\w.])(\d{1,3})k(?!\w)")  # "256k" tokens; not "k2" nor "2.5k"
# a host name ("coding-intl.dashscope.aliyuncs.com") is one thing a text names: a query that pastes
# one names an endpoint, not five topics; read from the runs JOINED finds, so it costs no backtracking
HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:com|cn|net|org|io|co|ai|dev|app|cloud)")
LONGEST_HOST = 253
JOINED_ANY_CASE = re.compile(JOINED.pattern, re.I)
PLACEHOLDER = re.compile(r"^x{3,}$")

# Words that name no topic: function words (pronouns of every case, but "us", which is also the country a
# region question names); a ticket's courtesies and urgency ("hi", "thanks in advance",
# "urgent, pls advise"); verbs that report a message ("OpenClaw shows ...",
# "token plan keeps saying ..."); light verbs, whose object says what is meant ("put the endpoint
# in", "hold two subscriptions", "make pictures"); when and how much a user tells of their story ("yesterday",
# "really"), and "often", which asks when ("how often does the quota refresh"); and in the last lines what
# `words` leaves of a contraction ("doesn't" -> "doesn", "t"), contractions written without the apostrophe,
# and chat spellings
STOPWORDS = frozenset(
    """a an the and or but if then so of to in on at by for with from as into onto about over under
    inside within across through throughout between among upon toward towards around along against during
    besides beside while whilst since
    is are was were be been being am do does did done doing have has had having i me my mine we our
    you your yours he she it its they them their this that these those there here what which who whom
    him his her hers ours myself yourself himself herself itself ourselves yourselves themselves
    whose when where why how can could would should will shall may might must yes any some all
    each every both either neither one such own than too very just also though although even despite however
    get got getting use using used usable want need please help hi hello thanks thank
    morning afternoon evening greetings dear regards cheers possible possibly
    urgent urgently asap kindly advise advice idea ideas appreciate appreciated advance anyone anybody guys folks sir madam
    let lets via per etc e g eg ie http https www far
    say says said saying show shows showed shown showing display displays displayed displaying
    print prints printed printing throw throws threw thrown throwing appear appears appeared
    return returns returned returning
    keep keeps kept keeping
    put puts putting hold holds holding held make makes made making take takes took taken taking
    give gives gave given giving go goes went going come comes came coming send sends sent sending
    often now currently once yesterday today tomorrow tonight soon recently already ago earlier later suddenly anymore anyway somehow
    really actually literally totally completely exactly precisely basically definitely apparently honestly seriously
    doesn don isn didn aren wasn weren hasn haven hadn shouldn couldn wouldn mustn needn won ll ve re
    im ive youre theyre dont doesnt didnt isnt arent wasnt cant wont hasnt havent shouldnt
    couldnt wouldnt whats thats hows whos wheres theres pls plz thx ur wat wht hw wen abt cuz coz bcoz tho thru""".split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if CJK.match(word) or word.isdigit():
        return word
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=65536)
def specificity(word: str) -> float:
    """1.0 for rare or technical words, down to 0.2 for the commonest English ones ("the", "after").

    A small corpus makes any word it seldom uses look rare; everyday English frequency corrects that.
    """
    if CJK.match(word) or word.isdigit():
        return 1.0
    return min(1.0, max(0.2, (7.0 - zipf(word)) / 3.5))


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common a word is in English: log10 of its uses per billion words (0 for unknown)."""
    return zipf_frequency(word, "en")


def english_one_edit_from(word: str, least: float) -> str | None:
    """The commonest English word one edit from `word` (a letter dropped, added or replaced, or two
    neighbours swapped), if it is at least `least` common (Zipf)."""
    table = get_frequency_dict("en", "best")  # what `zipf` reads: these arguments are its cache key
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in ascii_lowercase} | {a + c + b for a, b in splits for c in ascii_lowercase}
    found = max(edits - {word}, key=lambda e: table.get(e, 0.0))
    return found if zipf(found) >= least else None


def is_english_word(word: str) -> bool:
    """A word everyday English uses, so not a typo to repair."""
    return zipf(word) >= 2.5


def fold(text: str) -> str:
    """Unicode-normalised, CamelCase split, lower case, typographic quotes straightened."""
    text = unicodedata.normalize("NFKC", html.unescape(text))
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-", 0x2014: "-"})
    return CAMEL.sub(" ", text).lower()


def words(text: str) -> list[str]:
    """Surface words in order; a run of CJK characters becomes its overlapping character pairs, and a
    number is one word however it is written: "90,000", "90000" and "90k" alike."""
    out: list[str] = []
    text = THOUSANDS.sub(lambda m: m.group(1) + "000", GROUPED.sub(lambda m: m.group().replace(",", ""), fold(text)))
    for w in WORD.findall(text):
        if CJK.match(w):
            out += [w[i : i + 2] for i in range(max(1, len(w) - 1))]
        elif w[-1] == "s" and w[:-1].isdigit():  # "404s" are 404 errors
            out.append(w[:-1])
        else:
            out.append(w)
    return out


def read_words(text: str) -> list[str]:
    """The words a text is read by: a single letter says nothing ("I", the "t" of "doesn't"), a digit may."""
    return [w for w in words(text) if len(w) > 1 or w.isdigit()]


def compounds(text: str) -> list[str]:
    return [c for run in JOINED.findall(unicodedata.normalize("NFKC", text).lower()) if len(run) <= LONGEST_ID
            for c in COMPOUND.findall(run)]


def hosts(text: str) -> list[str]:
    """The host names in a text, lower case, without a leading "www."."""
    return [host for run in JOINED_ANY_CASE.findall(text) if (host := _host(run))]


def unlisted_hosts(text: str) -> list[str]:
    """Runs shaped like a host of three or more labels whose last label is no top-level domain the
    host pattern knows ("coding-intl.dashscope.aliyuncs.con"): a host mistyped in its ending."""
    return [run for run in map(str.lower, JOINED_ANY_CASE.findall(text))
            if run.count(".") >= 2 and len(run) <= LONGEST_HOST and not _host(run)
            and all(label and not label.isdigit() for label in run.split("."))]


def without_runs(text: str, blank: set[str]) -> str:
    """The text with the joined runs in `blank` (host names as `hosts` gives them, model ids) blanked out."""
    return JOINED_ANY_CASE.sub(lambda m: " " if (_host(m.group()) or m.group().lower()) in blank else m.group(), text)


def is_host(term: str) -> bool:
    return _host(term) is not None


def _host(run: str) -> str | None:
    run = run.lower()
    if len(run) > LONGEST_HOST or not HOST.fullmatch(run):
        return None
    bare = run.removeprefix("www.")
    return bare if "." in bare else run


def camel_joined(text: str) -> list[str]:
    """CamelCase words as one lower-case word each: `words` reads "OpenCode" as "open code", a
    user types "opencode", and both should meet."""
    return [w.lower() for w in CAMEL_WORD.findall(text)]


# model families no document names, whose models users ask about by name ("can I use gpt-4o with coding
# plan"): the big vendors' chat, code and image models. A name of one is a model the plans do not list.
MODEL_FAMILIES = frozenset("""gpt chatgpt o claude gemini gemma llama codellama mistral mixtral codestral
ministral grok ernie doubao baichuan hunyuan starcoder dall sora veo imagen whisper""".split())
# a model's name after its family: a version ("gpt-4o", "llama3", "o3-mini") or a variant ("qwen-max",
# "claude-sonnet"); a tool named after its vendor ("claude-code", "gemini-cli") has neither
MODEL_NAME = re.compile(r"(?<![\w.\-])([a-z]+)(\d[a-z0-9]*)?((?:[.\-_][a-z0-9]+)*)(?![\w\-]|\.\w)", re.I)
VARIANTS = frozenset("""max plus turbo flash pro mini nano sonnet opus haiku coder instruct chat large medium
small lite ultra omni vl preview latest""".split())


def model_names(text: str, families: frozenset[str] = MODEL_FAMILIES) -> list[str]:
    """The names in a text shaped as a model's of one of `families`, lower case: "gpt-4o", "qwen-max"."""
    found = []
    for m in MODEL_NAME.finditer(unicodedata.normalize("NFKC", text).lower()):
        family, version, rest = m.groups()
        if family not in families or family == "o" and not version:  # OpenAI's o-series: "o3", not "o"
            continue
        if version or any(any(c.isdigit() for c in p) or p in VARIANTS for p in re.split(r"[.\-_]", rest)):
            found.append(m.group())
    return found


# a model's name written apart, as people write it: "Gemini 2.5 Pro", "GPT 4o", "Claude Sonnet 4.5"
SPACED_TOKEN = re.compile(r"[^\s,;:!?()\[\]{}\"'`]+")
SPACED_VERSION = re.compile(r"\d[a-z0-9.\-]*")


def spaced_model_names(text: str, families: frozenset[str] = MODEL_FAMILIES) -> list[tuple[int, int, str]]:
    """(start, end, name) of each model name written with spaces: a family's word, then its versions and
    variants, one of them a version. The name is its words joined by hyphens, lower case: "gemini-2.5-pro".
    A tool ("Claude Code") or a family named alone ("Gemini") is none."""
    # (start, end, word) of each word, its sentence's full stop left out
    tokens = [(m.start(), m.start() + len(word), word.lower()) for m in SPACED_TOKEN.finditer(text)
              if (word := m.group().rstrip("."))]
    out = []
    i = 0
    while i < len(tokens):
        start, _, family = tokens[i]
        j = i + 1
        if family in families and family != "o":
            while j < len(tokens) and (SPACED_VERSION.fullmatch(tokens[j][2]) or tokens[j][2] in VARIANTS):
                j += 1
            parts = [t for _, _, t in tokens[i + 1 : j]]
            if any(p[0].isdigit() for p in parts):
                out.append((start, tokens[j - 1][1], "-".join([family, *parts])))
                i = j
                continue
        i += 1
    return out


def negation_free(word: str) -> str | None:
    """The word a negating "un" turns around, which names the same topic: "unquantized" is about
    quantization, "unsupported" about support. None for any other word ("until", "unless", "unique")."""
    if word.startswith("un") and len(word) >= 7 and zipf(word[2:]) >= 2.0 and word[2:] not in STOPWORDS:
        return word[2:]
    return None


# words that turn the next content word around ("is not supported", "doesn't support", "no response",
# "never configured"); `words` leaves "doesn" of "doesn't" ("can't" leaves "can", which is no negation)
NEGATORS = frozenset(
    """not no never cannot without nor doesn don isn didn aren wasn weren hasn haven hadn shouldn couldn
    wouldn dont doesnt didnt isnt arent wasnt werent cant wont hasnt havent shouldnt couldnt wouldnt""".split()
)
NEGATED_WITHIN = 3  # words after a negator that may stand between it and what it negates ("not be used")


def negated(ws: list[str]) -> set[int]:
    """The positions of the words a negation turns around: the first word after a negator that is
    neither a function word nor another negator, a few words at most."""
    out: set[int] = set()
    for i, w in enumerate(ws):
        if w in NEGATORS:
            for j in range(i + 1, min(len(ws), i + 1 + NEGATED_WITHIN)):
                if ws[j] not in STOPWORDS and ws[j] not in NEGATORS and len(ws[j]) > 1:  # "t" of "n't"
                    out.add(j)
                    break
    return out


def plural_free(word: str) -> str:
    """A word without a plural or possessive ending, and nothing more: "keys" -> "key", "coding" stays."""
    if word.endswith("'s"):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


class Synonyms:
    """Groups of words or phrases that mean the same here; each maps to its group's first member.

    Read from a tab-separated file: `canonical<TAB>variant, variant phrase, ...`, `#` comments.
    A variant written in CamelCase ("GitHub Action") matches as written and in lower case ("github
    action"). A single word matches by its stem ("refundable" as "refund"), unless written `=word`: then only
    the word itself and its plural do ("=reasoning" is not the documents' "Possible reasons"), and its
    stem stands for nothing (`exact_stems`). A
    phrase matches word by word
    with plurals folded but no stemming, since stems join words a phrase must keep apart ("vs
    coding plan" is not "VS Code"), and with or without a determiner between its words (see
    `_phrase_end`), so the list need not write "buy it again" beside "buy again".
    """

    def __init__(self, groups: list[tuple[str, list[str]]]) -> None:
        self.words: dict[str, str] = {}  # a single word's stem -> canonical
        phrases: dict[tuple[str, ...], str] = {}  # a phrase's plural-free words -> canonical
        self.surface: dict[str, str] = {}  # canonical as stems -> as written ("context window")
        self.vocabulary: set[str] = set()  # every word the groups write: typos of them are repaired too
        for canonical, variants in groups:
            target = " ".join(stem(w) for w in words(canonical))
            self.surface[target] = canonical
            for variant in [canonical, *variants]:
                exact = variant.startswith("=")
                variant = variant.removeprefix("=")
                # as a text is read: "how much i've used" is "how much ve used"; a name written in
                # CamelCase is read as its parts ("GitHub" as "git hub") and typed as one word ("github")
                for ws in {tuple(read_words(variant)), tuple(read_words(variant.lower()))}:
                    self.vocabulary.update(ws)
                    if len(ws) == 1 and not exact:
                        self.words[stem(ws[0])] = target
                    elif ws:
                        phrases[tuple(plural_free(w) for w in ws)] = target
        # a word written `=word`, plural-free -> canonical: a phrase of one word, whose stem stands for nothing
        self.exact = {key[0]: target for key, target in phrases.items() if len(key) == 1}
        # phrases by first word, longest first, so a text is read in one pass with a lookup per word
        self.starting: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for key in sorted(phrases, key=len, reverse=True):
            self.starting.setdefault(key[0], []).append((key, phrases[key]))

    @classmethod
    def load(cls, path: Path) -> "Synonyms":
        groups = []
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            canonical, _, rest = line.partition("\t")
            groups.append((canonical.strip(), [v.strip() for v in rest.split(",") if v.strip()]))
        return cls(groups)

    def exact_stems(self, ws: list[str], stems: list[str], found: list[tuple[int, int, str]]) -> list[str]:
        """`stems`, but a word written `=word` stands for its group alone ("allowance" is a limit and not,
        by its stem, "allowed"), or inside a longer phrase `found` for the phrase's ("limited" in
        "limited-time offer" is no limit and no restriction, but the offer)."""
        exact = {k: target for k, word in enumerate(ws) if (target := self.exact.get(plural_free(word)))}
        if not exact:
            return stems
        inside = {k: target for start, end, target in found if end - start > 1 for k in range(start, end)}
        return [inside.get(k) or exact[k] if k in exact else s for k, s in enumerate(stems)]

    def canonical(self, ws: list[str], stems: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, canonical) for every synonym found in a text's words, longest first. A word
        inside a phrase found stands for the phrase alone: "limit" in "token limit" is no "cap"."""
        found = []
        plain = [plural_free(w) for w in ws]
        inside = 0  # the end of the phrases found so far
        for i in range(len(ws)):
            for key, target in self.starting.get(plain[i], ()):
                if (end := _phrase_end(key, plain, i)) is not None:
                    found.append((i, end, target))
                    inside = max(inside, end)
                    break
            else:
                if i >= inside and (target := self.words.get(stems[i])) is not None:
                    found.append((i, i + 1, target))
        return found


# words that point at a thing without saying what it is: a phrase reads the same with or without one
# between its words ("lower my tier" is "lower tier", "hit the limit" is "hit limit", "buy it again")
DETERMINERS = frozenset({"a", "an", "the", "my", "our", "your", "their", "its", "it", "this", "that"})
# and an adverb that only says how much or how often: "nothing ever comes back" is "nothing comes back",
# "ran completely out" is "ran out"
ADVERBS = frozenset({"ever", "really", "just", "actually", "even", "simply", "always", "right", "completely",
                     "totally", "entirely", "fully", "suddenly", "all"})
SKIPPED = DETERMINERS | ADVERBS


def _phrase_end(key: tuple[str, ...], plain: list[str], i: int) -> int | None:
    """Where `key` ends when read from word `i` of `plain`, else None. Past its first word a phrase
    may skip a determiner or adverb the text has, and leave out a determiner of its own."""
    j = i + 1
    for k in key[1:]:
        if j < len(plain) and plain[j] == k:
            j += 1
        elif j + 1 < len(plain) and plain[j] in SKIPPED and plain[j + 1] == k:
            j += 2
        elif k not in DETERMINERS:
            return None
    return j


SYNONYMS_FILE = Path(__file__).with_name("synonyms.tsv")


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    return Synonyms.load(SYNONYMS_FILE)

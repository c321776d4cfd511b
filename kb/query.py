"""Query clean-up: mask secrets, pull messages, codes and statuses out of pasted JSON and logs."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.products import product_of_query

# a terminal's colours in a copied log ("\x1b[31mError\x1b[0m"), or what is left of them when the
# escape character was lost on the way ("[1;31mError[0m")
ANSI = re.compile(r"\x1b\[[\d;?]*[A-HJKSTfhlm]|\[\d{1,3}(?:;\d{1,3})*m")
FRAME = re.compile(r"""\s*File "[^"]+", line \d+""")  # a Python traceback's frame line
SECRET = re.compile(r"\b(sk-(?:sp-)?|sk-ant-|Bearer\s+)([A-Za-z0-9_\-.]{8,})", re.I)
NOISE = [
    # a greeting and whom it addresses, up to the comma, colon, dash or line that ends it ("Hi support
    # team,", "Dear Alibaba Cloud support:", "Hello Maria -"): "team" and "support" there are no Team Edition
    # or supported models. Only words that address someone may stand between ("Hey coding plan fails, ..."
    # is the question)
    re.compile(r"^\W*(?i:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening|day))"
               r"(?:\s+(?:(?i:there|all|everyone|everybody|folks|guys|team|support|staff|devs?|developers|friends|sir|"
               r"madam|alibaba|cloud|model|studio|dashscope|bailian)|[A-Z][a-z]+)){0,4}\s*(?:[,:;!.—–]|\s-+\s|\n)"),
    re.compile(r"\b(?i:(?:a\s+)?(?:quick|short|small|simple)\s+(?:question|one|q))\b\s*[:,\-–—]?"),  # asks nothing quick
    # how a mail or a chat hands the question on: a subject line's labels ("Re: Fwd: Subject:"), a bot's
    # command ("/ask ...") and a mention ("@support"), though not a package's scope ("@anthropic-ai/claude-code")
    re.compile(r"^\s*(?:(?i:re|fwd?|subject|question|q)\s*:\s*)+|^\s*/[a-z][\w-]*\s+|(?<![\w/@.])@[A-Za-z][\w.-]*(?![\w/@.-])"),
    # the courtesies and urgency around a question ("thanks in advance!", "any help appreciated", "urgent,
    # our production is down"): "production" is no product, "down" no outage of the service; an outage
    # told as the question is kept ("our prod server is down since ...")
    re.compile(r"(?i:\b(?:many\s+)?(?:thanks|thank\s+you|thx|tia)(?:\s+(?:so\s+much|a\s+lot|very\s+much|in\s+advance))?"
               r"(?:\s+for\s+(?:your|any|the)\s+help)?[!.]*\s*$|\bany\s+help\s+(?:is\s+|would\s+be\s+)?(?:much\s+|greatly\s+)?"
               r"appreciated\b|\b(?:please|pls|plz)\s+(?:help|advise)(?:\s+(?:me|us))?(?:\s+asap)?\b)"),
    re.compile(r"(?i:\b(?:urgent(?:ly)?|asap|high\s+priority)\b|[,;.!:\-–—]\s*(?:our\s+|the\s+|my\s+)?(?:production|prod)"
               r"(?:\s+(?:environment|env|system|app|service|server|site|pipeline))?\s+(?:is|are|went|has\s+gone)"
               r"\s+(?:down|broken|offline|blocked)\b)"),
    # a Markdown code fence around a paste, and its language tag
    re.compile(r"(?:```|~~~)[\w+-]*"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"),  # timestamps
    re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"),
    re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I),  # UUIDs
    re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b", re.I),  # hex ids
    re.compile(r"\b(?:req|request|trace|span|chatcmpl|msg)[-_][A-Za-z0-9_\-]{6,}", re.I),  # request ids
    re.compile(r"""(?<!\w)["']?(?:request_?id|trace_?id|x-request-id|id|created|param|object)["']?\s*[:=]\s*("[^"]*"|'[^']*'|[\w\-.]+),?""", re.I),
    # a structured log line's own fields, quoted (JSON) or as key=value (logfmt): when, where and at what
    # level it was logged ("level": "error" says no more than the message it carries)
    re.compile(r"""["'](?:@?timestamp|ts|time|level|levelname|severity|logger|logger_name|caller|pid|thread|thread_name|"""
               r"""lineno|hostname)["']\s*:\s*("[^"]*"|'[^']*'|[\w\-.:+]+),?|\b(?:ts|time|level|logger|caller|pid)=(?:"[^"]*"|\S*)""",
               re.I),
    re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b"),  # IP addresses
    re.compile(r"\b(?i:get|post|put|patch|delete)\s+(?=[\"']?https?://)"),  # a request's method before its URL
    # what an HTTP library says around a status it got: .NET's "Response status code does not indicate success:",
    # requests' "429 Client Error: ... for url:", axios' "Request failed with status code"
    re.compile(r"\bResponse status code does not indicate success:?|(?<=\d\d\d )(?:Client|Server) Error:|\bfor url:"
               r"|\bRequest failed with status code(?= \d\d\d)"),
    re.compile(r"\bv?\d+\.\d+\.\d+(?:[-+][\w.]+)?\b"),  # a release's number ("3.12.1", "1.54.0"), never what is asked
    # a retry announced after an error: Claude Code's "· Retrying in 5 seconds… (attempt 3/10)"
    re.compile(r"[·•]?\s*\b(?i:retrying in \d+(?:\.\d+)?\s*(?:s|secs?|seconds?|ms|minutes?)\b)(?:…|\.{3})?|\((?i:attempt) \d+\s*/\s*\d+\)"),
    # a stack trace's frames say where an error passed, not what it is: Python's `File "...", line N, in f`
    # (the source lines under one are dropped first, see `_without_sources`), JavaScript's and Java's
    # `at f (file:line:col)`, and the headings and joins around them
    re.compile(rf"(?m)^{FRAME.pattern}.*$"),
    re.compile(r"\bTraceback \(most recent call last\):|\b(?:During handling of the above exception, another exception "
               r"occurred|The above exception was the direct cause of the following exception):"),
    re.compile(r"\bat\s+(?:async\s+)?(?:[\w$./<>\[\]]+(?:\s+\[as\s+[\w$]+\])?\s*)?\((?:[^()\s]+:\d+(?::\d+)?|Native Method|"
               r"Unknown Source|<anonymous>|native)\)|\bat\s+(?:async\s+)?(?:file://|node:|/)\S+:\d+:\d+|\.{3}\s\d+\s+more\b"),
    # where a log line came from, before what it says: Python logging's default "ERROR:root:", a compose
    # service's "app-1  | ", a CI runner's "##[error]"
    re.compile(r"(?m)^\s*(?:(?:CRITICAL|ERROR|WARNING|INFO|DEBUG):[\w.]+:|[\w.-]+[-_]\d+\s+\|\s|##\[[a-z]+\])"),
    re.compile(r"(?m)(?:^|(?<=[\"'\]]))\s*[\w.-]+:\s*\(\d{1,2}\)(?=\s+\w)"),  # a command's name and exit code before its error: "curl: (6) ..."
    # a pasted response's headers that say nothing of the error: when it came, from which server, how it
    # was framed ("date: Fri, 20 Nov 2026 09:12:44 GMT", "x-request-id: ..."); a body's length is kept
    re.compile(r"(?im)^\s*(?:date|server|vary|connection(?=\s*:\s*(?:keep-alive|close|upgrade)\s*$)|keep-alive|"
               r"content-type|content-encoding|transfer-encoding|cache-control|set-cookie|strict-transport-security|"
               r"etag|expires|via|alt-svc|access-control-[\w-]+|x-[\w-]+|req-cost-time)\s*:.*$"),
    re.compile(r"""["'](?:type|message|code|error|detail|msg|status|error_msg|errorMessage)["']\s*:|\b(?:msg|err|error)=(?=")"""
               r"""|(?<=[{,]\s)(?:type|message|code|error|detail|msg|status)\s*:(?=\s*['"{])"""),  # JSON, logfmt and JavaScript keys
    re.compile(r"\\[nrt]"),
    re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"),  # the tags of a pasted HTML error page ("<title>404 Not Found</title>")
    # what a support ticket wraps around the question: its reference ("ticket 4411", "Case #20391",
    # "ref: INC-88231"), a mail signature ("Sent from my iPhone"), a sign-off with a name ("cheers, Maria",
    # "-- Bob"); a reference must hold a digit ("in case 401 ..." is no case number), a name must be
    # capitalised and end the query
    re.compile(r"\b(?i:ticket|incident|ref|reference)\s*(?i:no\.?|number|id)?\s*[:#]?\s*#?(?=[\w-]*\d)[\w-]+"),
    re.compile(r"\b(?i:case)\s*(?:(?i:no\.?|number|id)?\s*[:#]\s*#?(?=[\w-]*\d)[\w-]+|\d{4,}\b)"),  # not "in case 401 ..."
    re.compile(r"\b(?i:sent from (?:my )?(?:iphone|ipad|android|outlook|mail|samsung|galaxy|mobile|phone|blackberry|gmail)"
               r"(?: (?:for|on) \w+)?)"),
    re.compile(r"(?:\b(?i:kind regards|best regards|regards|cheers|thanks|thank you|many thanks)\s*[,!.]*|\s--)"
               r"\s+[A-Z][a-z]+\.?\s*$"),
]
# a log line at a level below warning: its level first, after up to two fields (a date and a time, a
# process), or as a field of a structured line
CHATTER = re.compile(r"""\W*(?:\S+\s+){0,2}?\[?(?:INFO|DEBUG|TRACE|VERBOSE)\b(?!-)|.*\blevel["']?\s*[=:]\s*["']?(?i:info|debug|trace)\b"""
                     # a command typed at a shell's prompt
                     r"""|\s*(?:[$%❯➜]|PS [^>\n]*>|[\w.-]+@[\w.-]+(?::[^$#\n]*)?[$#])\s+\S""")
# the request `curl -v` shows it sent: its request line, then headers, all marked "> " ("> Error: 401" is a
# Markdown quote unless a request line stands above it); it marks what the server sent with "< "
REQUEST_LINE = re.compile(r"(?m)^>\s*[A-Z]+ \S+ HTTP/[\d.]+\s*$")
SENT = re.compile(r">\s*(?:[A-Z]+ \S+ HTTP/[\d.]+|[\w-]+:.*)?\s*$")
RESPONSE_MARK = re.compile(r"(?m)^<[ \t]?(?=\S|$)")
QUOTE_MARK = re.compile(r"(?m)^[ \t]*>[ \t]?")  # a Markdown quote's marks
LIST_MARK = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d{1,2}[.)])[ \t]+(?=\S)")  # a list's: "- ", "* ", "1. ", "2) "
REPEATED_MARK = re.compile(r"\s*([?!])(?:\s*[?!])+|\s+(?=[?!](?:\s|$))")  # "why ??", "why?!" are "why?"
# the package path of an exception's class ("System.Net.Http.HttpRequestException", "botocore.errorfactory.
# ThrottlingException"): the class says what went wrong, a vendor's name in the path whose error it is, and
# the generic parts say nothing ("net" had weighed as much as the status)
QUALIFIED = re.compile(r"\b((?:[A-Za-z_]\w*\.)+)(?=[A-Z]\w*(?:Error|Exception)\b)")
GENERIC_PACKAGES = frozenset("""system net http io lang util core client exception exceptions error errors errorfactory
_exceptions com org requests httpx urllib3 aiohttp""".split())
# a query quoted whole, as a message is quoted to be searched for: the quotes are no part of it
QUOTED_WHOLE = re.compile(r"""\s*(?P<mark>["'`“”])(?P<inner>.+)["'`“”]\s*$""", re.S)
# what the noise leaves at the ends: the separator before a sign-off or an urgency removed ("... --"); at
# the start, a hyphen only before a space ("-v" is an option)
LOOSE_START = re.compile(r"(?:[\s,;:–—]|-+(?=\s))+")
LOOSE_END = " ,;:-–—"
# a response whose length header is 0 came with no body, as errors are described: "404 status code (no body)"
EMPTY_BODY = re.compile(r"(?im)^\s*content-length\s*:\s*0\s*$")
STATUS = re.compile(
    r"(?:\bhttp(?:/\d(?:\.\d)?)?\s*|\bstatus(?:\s*code)?\s*[:=]?\s*|\berror\s*code\s*[:=]?\s*|\bcode\s*[:=]\s*|^\s*|\[)([45]\d\d)s?\b",
    re.I | re.M,
)
MAYBE_STATUS = re.compile(r"[45]\d\d")  # cheap test that spares most queries the full STATUS search
# the message of a pasted error body: what the service said, beside the labels (type, code) it files it under
MESSAGE = re.compile(
    r"""(?:["']|(?<=[{,\s])(?=\w+\s*:\s*['"]))(?:message|msg|error_?msg|error_?message|errorMessage)["']?\s*:\s*"""
    r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


@dataclass(frozen=True)
class CleanQuery:
    """What the matcher reads. Two queries that differ only in noise (request ids, timestamps,
    keys) are equal, so they share one cached answer; `original` is kept but not compared."""

    original: str = field(compare=False)  # as received, secrets masked
    text: str  # noise removed
    statuses: frozenset[str] = frozenset()
    product: str | None = None  # the product the query names or implies
    message: str = ""  # the message field(s) of a pasted error body, noise removed; else empty


def mask_secrets(text: str) -> str:
    """`sk-sp-abcd1234...` -> `sk-sp-****`: keys never travel further than this function."""
    return SECRET.sub(lambda m: m.group(1) + "****", text)


def clean_query(raw: str) -> CleanQuery:
    raw = ANSI.sub("", raw) if "[" in raw else raw
    masked = mask_secrets(raw)
    if '\\"' in masked:  # a JSON body logged as a string inside another: its quotes unescaped, its keys found
        masked = masked.replace('\\"', '"')
    statuses = frozenset(STATUS.findall(masked)) if MAYBE_STATUS.search(masked) else frozenset()
    # (the substring test spares most queries the regular expression: every key MESSAGE knows holds one)
    message = " ".join(dict.fromkeys(a or b for a, b in MESSAGE.findall(masked))) if "essage" in masked or "msg" in masked else ""
    return CleanQuery(
        original=masked,
        text=_denoised(masked),
        statuses=statuses,
        product=product_of_query(raw),
        message=_denoised(message) if message else "",
    )


def _without_sources(text: str) -> str:
    """A Python traceback without the source lines (and 3.11's carets) indented under each `File` line:
    a call's arguments ("model=...", "messages=...") would read as what the error is about."""
    kept, under = [], -1
    for line in text.splitlines():
        indent = len(line) - len(line.lstrip())
        if under >= 0 and line.strip() and indent > under:
            continue
        under = indent if FRAME.match(line) else -1
        kept.append(line)
    return "\n".join(kept)


def _without_chatter(text: str) -> str:
    """A log without its lines logged below warning level ("INFO:openai._base_client:Retrying request
    ..."), when it has other lines: what the client did on the way, not the error it ends in."""
    lines = text.splitlines()
    sent = SENT.match if REQUEST_LINE.search(text) else lambda line: None
    kept = [line for line in lines if not (CHATTER.match(line) or sent(line))]
    return "\n".join(kept) if len(kept) < len(lines) and any(line.strip() for line in kept) else text


def _vendor_of(qualified: re.Match[str]) -> str:
    """An exception's package path without its generic parts: a vendor's name says whose error it is."""
    return "".join(f"{part} " for part in qualified[1].split(".") if part and part.lower() not in GENERIC_PACKAGES)


def _denoised(text: str) -> str:
    if (quoted := QUOTED_WHOLE.match(text)) and quoted["mark"] not in quoted["inner"]:
        text = quoted["inner"]
    if "\n" in text:
        text = RESPONSE_MARK.sub("", text)
        text = _without_chatter(_without_sources(text) if 'File "' in text else text)
    text = QUOTE_MARK.sub("", text) if ">" in text else text
    text = LIST_MARK.sub("", text)
    if not text.isascii():  # emoji, bullets and box drawing mark a line, they say nothing ("❌ 401", "⎿  API Error")
        text = "".join(ch for ch in text if unicodedata.category(ch) != "So")
    text = EMPTY_BODY.sub(" (no body) ", text)
    if "." in text:
        text = QUALIFIED.sub(_vendor_of, text)
    for pattern in NOISE:
        text = pattern.sub(" ", text)
    if "\n" in text:  # a line pasted again, or a log's retries of one error, says it once: keep its first
        text = "\n".join(dict.fromkeys(line.strip() for line in text.splitlines()))
    text = re.sub(r"[{}\[\]]+", " ", text)
    text = REPEATED_MARK.sub(r"\1", re.sub(r"\s+", " ", text)).rstrip(LOOSE_END)
    return text[loose.end():] if (loose := LOOSE_START.match(text)) else text

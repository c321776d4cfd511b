"""HTML for answers: Markdown from Markdown sources rendered safely, other text kept as written."""

from __future__ import annotations

from markupsafe import Markup, escape
from markdown_it import MarkdownIt

from kb.service import KnowledgeBase

# raw HTML in a source is shown as text, never injected; links keep only safe schemes (markdown-it's default)
SAFE_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def answer_html(answer: dict, kb: KnowledgeBase) -> Markup:
    doc = kb.documents.get(answer["source"]["document"])
    if doc is not None and doc.format == "markdown" and answer["kind"] != "error":
        return Markup(SAFE_MD.render(answer["answer"]))
    return Markup('<div class="plain">') + escape(answer["answer"]) + Markup("</div>")


def document_lines(content: str) -> list[tuple[int, str]]:
    return list(enumerate(content.splitlines(), start=1))

"""Litestar: the JSON API for support bots and the search page for people, both thin over kb."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Annotated, Any

from litestar import Controller, Litestar, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.logging import LoggingConfig
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from app.render import answer_html, document_lines
from app.schemas import PRODUCT, QUERY_PATTERN, AnswerRequest, AnswerResponse, ErrorBody, Health
from kb.cli import render_text
from kb.products import BY_SLUG, PRODUCTS
from kb.query import mask_secrets
from kb.records import line_span
from kb.service import LIMIT_MAX, BadQuery, KnowledgeBase, Live
from kb.settings import LOG_FORMAT, Settings

HERE = Path(__file__).resolve().parent
log = logging.getLogger("kb.api")
EXAMPLE_QUERY = "hour allocated quota exceeded"


def _errors(*codes: int) -> dict[int, ResponseSpec]:
    meaning = {400: "bad input: `detail` names the problem", 413: "query too long",
               503: "no knowledge base to answer from: `detail` says why"}
    return {c: ResponseSpec(data_container=ErrorBody, description=meaning[c], generate_examples=False) for c in codes}


class Unavailable(HTTPException):
    status_code = 503


def _kb(state: State) -> KnowledgeBase:
    kb = state.live.get()
    if kb is None:
        raise Unavailable(detail=f"knowledge base unavailable: {state.live.error}")
    return kb


def _fresh(request: Request) -> bool:
    """`Cache-Control: no-cache`: the client wants the answer worked out again, not a stored one."""
    return "no-cache" in request.headers.get("cache-control", "").lower()


async def _answer(state: State, q: Any, product: Any, limit: Any, fresh: bool = False) -> dict:
    # The event loop reads sockets only between its passes over the ready tasks. Answered without a
    # pause, a request that arrived a moment after a read waited for that whole pass and then its
    # own: twice the others' wait (under 32 clients the slowest 1% took twice the median). Yielding
    # once first starts each pass with cheap steps, so a late request is read and queued in turn.
    await asyncio.sleep(0)
    started = time.perf_counter()
    try:
        payload = _kb(state).respond(q, product, limit, state.settings.max_query, fresh)
    except BadQuery as err:
        raise HTTPException(status_code=err.status, detail=str(err)) from None
    # what maintainers act on is a question the documents do not answer; a line for every answer
    # (DEBUG) would cost a bot-facing server a tenth of its time and gigabytes of log a day
    level = logging.DEBUG if payload["confident"] else logging.INFO
    if log.isEnabledFor(level):
        top = payload["answers"][0]["id"] if payload["answers"] else None
        log.log(level, "answer q=%r product=%s confident=%s top=%s %.1fms", payload["query"][:200],
                payload["product"], payload["confident"], top, 1000 * (time.perf_counter() - started))
    return payload


def _reply(request: Request, payload: dict) -> Response:
    accept = request.headers.get("accept", "")
    if "text/plain" in accept and "application/json" not in accept:
        return Response(render_text(payload), media_type=MediaType.TEXT)
    return Response(payload, media_type=MediaType.JSON)  # the shape of AnswerResponse, built by kb.service


class AnswerController(Controller):
    """GET and POST registered together, so the framework's OPTIONS reply names both in Allow."""

    path = "/api/answer"

    @get(summary="Answer a question or a pasted error", responses=_errors(400, 413, 503))
    async def answer_get(
        self,
        request: Request,
        state: State,
        q: Annotated[str, QueryParameter(description="a question, an error message, a JSON error body or a log line",
                                         min_length=1, pattern=QUERY_PATTERN)],
        product: Annotated[PRODUCT | None, QueryParameter(description="coding-plan or token-plan; inferred when absent")] = None,
        limit: Annotated[int | None, QueryParameter(description=f"answers to return, 1-{LIMIT_MAX} (default 3)", ge=1,
                                                    le=LIMIT_MAX)] = None,
    ) -> AnswerResponse:
        """Returns the documented entries that answer `q`, best first, each with the lines it came from.

        Send `Accept: text/plain` for an answer readable in a terminal, and `Cache-Control: no-cache`
        to have the answer worked out again rather than served from the cache.
        """
        return _reply(request, await _answer(state, q, product, limit, _fresh(request)))  # type: ignore[return-value]

    @post(status_code=200, summary="Answer a question or a pasted error (JSON body)",
          responses=_errors(400, 413, 503))
    async def answer_post(self, request: Request, state: State, data: Annotated[AnswerRequest, Body(
            description='{"q": "...", "product": "coding-plan", "limit": 3}')]) -> AnswerResponse:
        """The same answer as GET, for queries too long or too awkward for a URL."""
        return _reply(request, await _answer(state, data.q, data.product, data.limit, _fresh(request)))  # type: ignore[return-value]


@get("/health", sync_to_thread=False, responses=_errors(503))
def health(state: State) -> Health:
    kb = _kb(state)
    return Health(status="ok", documents=len(kb.documents), entries=len(kb.entries), built_at=kb.built_at)


@get("/", include_in_schema=False)
async def page(state: State, q: FromQuery[str | None] = None, product: FromQuery[str | None] = None) -> Template:
    context: dict[str, Any] = {"q": q or "", "product": product or "", "products": PRODUCTS,
                               "by_slug": BY_SLUG, "error": None,
                               "payload": None, "example": EXAMPLE_QUERY}
    status = 200
    if q is not None and q.strip():
        try:
            payload = await _answer(state, q, product or None, 5)
        except HTTPException as err:
            context["error"], status = err.detail, err.status_code
        else:
            context["q"] = payload["query"]
            context["payload"] = payload
            context["rendered"] = [answer_html(a, _kb(state)) for a in payload["answers"]]
    return Template(template_name="index.html", context=context, status_code=status)


@get("/docs/{document:str}", sync_to_thread=False, include_in_schema=False)
def document_page(state: State, document: FromPath[str]) -> Template:
    kb = _kb(state)
    doc = kb.documents.get(document)
    if doc is None:
        raise NotFoundException(detail=f"no document named {document!r}")
    return Template(template_name="document.html", context={"doc": doc, "lines": document_lines(doc.content)})


def _problem(error: dict) -> str:
    """A validation error in words a user understands."""
    key, message = error.get("key") or "body", str(error.get("message"))
    if key == "q" and ("length" in message or "regex" in message):
        return "empty query: `q` must hold some text (and no NUL characters)"
    if key == "q" and "missing" in message.lower():
        return "missing query: give the question or error text as `q`"
    return f"{key}: {message}"


def _error(request: Request, exc: Exception) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, ValidationException):
        status = 400
        problems = [_problem(e) for e in (exc.extra or []) if isinstance(e, dict)]
        detail = "; ".join(problems) or str(exc.detail)  # a malformed body: "JSON is malformed: ..."
    elif isinstance(exc, HTTPException):
        status, detail, headers = exc.status_code, str(exc.detail), dict(exc.headers or {})
        if status == 404 and detail == "Not Found":
            detail = f"no such page: {request.url.path}"
    else:
        log.exception("unexpected error on %s", request.url.path)
        status, detail = 500, "internal error"
    detail = mask_secrets(detail)
    if request.url.path.startswith(("/api", "/health", "/schema")) or "text/html" not in request.headers.get("accept", ""):
        return Response({"status_code": status, "detail": detail}, status_code=status, media_type=MediaType.JSON,
                        headers=headers)
    return Template(template_name="error.html", context={"status": status, "detail": detail}, status_code=status)


def _allow_every_method(app: Litestar) -> None:
    """The framework's automatic OPTIONS reply names only one handler's methods; name them all."""
    allowed = {route.path: ", ".join(sorted(route.methods)) for route in app.routes if hasattr(route, "methods")}

    async def before_send(message: dict, scope: dict) -> None:
        if message["type"] == "http.response.start" and scope.get("method") == "OPTIONS":
            methods = allowed.get(scope.get("path", ""))
            if methods:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"allow"]
                message["headers"] = [*headers, (b"allow", methods.encode())]

    app.before_send.append(before_send)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings()
    state = State({"settings": settings, "live": Live(settings.db, settings.reload_seconds)})
    app = Litestar(
        route_handlers=[
            AnswerController, health, page, document_page,
            create_static_files_router(path="/static", directories=[HERE / "static"], include_in_schema=False),
        ],
        state=state,
        template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine,
                                       engine_callback=lambda jinja: jinja.engine.globals.update(line_span=line_span)),
        openapi_config=OpenAPIConfig(
            title="Documented answers", version="1.0.0", path="/schema",
            description="Answers questions and pasted errors from the vendor FAQ documents, citing the lines.",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        exception_handlers={Exception: _error},
        request_max_body_size=64 * 1024,
        debug=False,
        # written in the request's own thread: handing each record to the framework's default queue
        # thread cost twice as much CPU as writing the line to stderr
        logging_config=LoggingConfig(root={"level": settings.log_level, "handlers": ["console"]},
                                     formatters={"standard": {"format": LOG_FORMAT}}),
    )
    _allow_every_method(app)
    return app

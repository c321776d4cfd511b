"""One settings object, read from the environment, with documented defaults (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# (variable, default, meaning): the README lists every one of these.
SETTINGS = (
    ("KB_DB", "var/kb.sqlite", "the SQLite knowledge base that build writes and ask/serve read"),
    ("KB_SOURCES", "kb/sources", "the folder of source documents that build reads"),
    ("KB_MAX_QUERY", "10000", "longest query accepted, in characters; longer gets 413"),
    ("KB_RELOAD_SECONDS", "1.0", "how often a running server looks for a rebuilt knowledge base"),
    ("KB_ENCODER", "var/encoder/all-MiniLM-L6-v2-int8.onnx",
     "the sentence encoder's model file, written there once from the installed weights; `off` answers by words alone"),
    ("KB_LOG_LEVEL", "INFO", "INFO logs the answers that were not confident; DEBUG logs every answer"),
    ("HOST", "127.0.0.1", "address `make run` and `kb serve` listen on"),
    ("PORT", "8000", "port `make run` and `kb serve` listen on"),
)


def _env(name: str) -> str:
    """The variable's value, or its documented default."""
    default = next(d for n, d, _ in SETTINGS if n == name)
    return os.environ.get(name) or default


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else Path.cwd() / path


def encoder_path() -> Path | None:
    """Where the sentence encoder's model file is kept (kb.dense writes it there when missing); None: off."""
    raw = _env("KB_ENCODER")
    return None if raw.strip().lower() == "off" else _path(raw)


class SettingsError(ValueError):
    pass


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _level(name: str) -> str:
    raw = _env(name)
    if raw.strip().upper() not in LOG_LEVELS:
        raise SettingsError(f"{name}={raw!r} is not a log level: use one of {', '.join(LOG_LEVELS)}")
    return raw.strip().upper()


def _int(name: str, low: int) -> int:
    raw = _env(name)
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if value < low:
        raise SettingsError(f"{name}={raw!r} must be at least {low}")
    return value


@dataclass(frozen=True)
class Settings:
    db: Path = field(default_factory=lambda: _path(_env("KB_DB")))
    sources: Path = field(default_factory=lambda: _path(_env("KB_SOURCES")))
    max_query: int = field(default_factory=lambda: _int("KB_MAX_QUERY", 1))
    reload_seconds: float = field(default_factory=lambda: float(_env("KB_RELOAD_SECONDS")))
    host: str = field(default_factory=lambda: _env("HOST"))
    port: int = field(default_factory=lambda: _int("PORT", 1))
    log_level: str = field(default_factory=lambda: _level("KB_LOG_LEVEL"))

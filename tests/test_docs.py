from __future__ import annotations

import re

from kb.cli import parser
from kb.settings import ROOT, SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_first_screen_shows_the_two_commands() -> None:
    first_screen = "\n".join(README.splitlines()[:20])
    assert "make run" in first_screen and "make test" in first_screen


def test_readme_mentions_every_setting_with_its_default() -> None:
    for name, default, _ in SETTINGS:
        assert re.search(rf"`{name}`\s*\|\s*`{re.escape(default)}`", README), name


def test_readme_mentions_every_command_and_endpoint() -> None:
    commands = parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in commands:
        assert f"kb {command}" in README or f"kb/{command}" in README, command
    for endpoint in ("/api/answer", "/health", "/docs/", "/schema", "Accept: text/plain"):
        assert endpoint in README


def test_readme_curl_examples_name_real_parameters() -> None:
    examples = re.findall(r"^curl .*$", README, flags=re.M)
    assert len(examples) >= 3
    assert all("127.0.0.1:8000" in e for e in examples)

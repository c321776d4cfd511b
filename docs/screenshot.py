"""Regenerate docs/screenshot.png: the search page with an answer, in headless chromium.

Usage: .venv/bin/python docs/screenshot.py   (needs a server: make run)
"""

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
query = "/?q=openai.RateLimitError%3A+Error+code%3A+429+-+%7B%27error%27%3A+%7B%27message%27%3A+%27hour+allocated+quota+exceeded%27%7D%7D"
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    page = browser.new_page(viewport={"width": 1000, "height": 820})
    page.goto(base + query)
    page.screenshot(path=str(Path(__file__).with_name("screenshot.png")), full_page=False)
    browser.close()

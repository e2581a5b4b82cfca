"""No template of a page holds inline script or style, which the Content-Security-Policy refuses.

The browser test (test_csp_browser.py) sees the pages it visits; this one reads every template,
so that a page it does not reach cannot bring inline code back either. E-mail templates are
not pages: mail programs ignore external style sheets, so an e-mail keeps its inline style.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import amicable

PACKAGE = Path(amicable.__file__).parent
EMAIL_TEMPLATES = PACKAGE / "letters" / "templates" / "letters" / "email"
PAGES = sorted(
    path
    for path in PACKAGE.rglob("templates/**/*.html")
    if not path.is_relative_to(EMAIL_TEMPLATES)
)
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "a <style> block": re.compile(r"<style\b", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def test_there_are_templates_to_read() -> None:
    assert len(PAGES) > 40


@pytest.mark.parametrize("template", PAGES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_page_template_holds_no_inline_code(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert found == [], f"{template.relative_to(PACKAGE)} holds {', '.join(found)}"

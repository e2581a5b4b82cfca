"""The API's documentation page works offline: Swagger UI's files are this install's own static
files (django-ninja's folder in STATICFILES_DIRS, config/settings.py)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

SOURCE = Path(__file__).resolve().parents[2] / "src" / "amicable"
TEMPLATE = SOURCE / "intake" / "templates" / "intake" / "api_docs.html"


def test_every_file_the_docs_page_loads_is_a_static_file_of_this_install() -> None:
    names = re.findall(r"{% static '([^']+)' %}", TEMPLATE.read_text())
    assert "ninja/swagger-ui-bundle.js" in names
    for name in names:
        assert finders.find(name), name

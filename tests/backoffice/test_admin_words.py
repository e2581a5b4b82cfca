"""The administration names every field in the staff member's language (issue 14, point 2).

The model names were already translated; the columns and the labels of the forms came from the
attribute names ("state since", "value date"), in English whatever the staff member's language.
Every field of every model of the project that the administration shows now carries its own
translated name.
"""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise

from amicable.backoffice.roles import Role
from tests.factories import make_creditor, make_file
from tests.staff import TODAY, make_staff, sign_in

# Words that French and English spell alike in an agency’s papers.
SAME_IN_FRENCH = {
    "IBAN",
    "e-mail",
    "code",
    "format",
    "message",
    "note",
    "total",
    "cycle",
    "moment",
    "active",
    "document",
    "suggestions",
    "communication",
}


def project_models() -> list[type[Model]]:
    """The project's own models in the administration (Django's and libraries' bring theirs)."""
    models = [m for m in admin.site._registry if m.__module__.startswith("amicable.")]
    assert len(models) >= 20  # every app's admin.py was imported
    return models


def test_every_field_of_the_administration_has_a_translated_name() -> None:
    untranslated: list[str] = []
    same: list[str] = []
    for model in project_models():
        for field in model._meta.concrete_fields:
            if field.auto_created:
                continue  # the row number, which Django itself names "ID"
            where = f"{model.__name__}.{field.name}"
            name = field.verbose_name
            # A lazy translation, not the name Django derives from the attribute.
            if not isinstance(name, Promise):
                untranslated.append(where)
                continue
            with translation.override("en"):
                english = str(name)
            with translation.override("fr"):
                french = str(name)
            # Lower case, as Django capitalises where a name starts a line; acronyms stay.
            first = english.split()[0]
            assert first == first.lower() or first.split("-")[0].isupper(), where
            if french == english:
                same.append(f"{where}: {english}")
                assert english in SAME_IN_FRENCH, f"{where} is not translated into French"
    assert untranslated == []
    # Most fields read differently in French: only the few words both languages share.
    total = sum(len(m._meta.concrete_fields) for m in project_models())
    assert len(same) < total // 10, same


def test_the_french_change_list_has_french_column_headers() -> None:
    user = make_staff(Role.ADMINISTRATOR)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = sign_in(Client(), user)
    client.cookies["django_language"] = "fr"
    make_file(creditor=make_creditor(), today=TODAY, language="fr")
    html = client.get("/admin/files/file/").content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>.*?</th>', html, flags=re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", h) for h in headers)
    for french in ("Référence", "Créancier", "Débiteur", "État", "Ouvert le", "Modifié le"):
        assert french in text, text
    for english in ("Reference", "State", "Opened on", "Updated at"):
        assert english not in text


pytestmark = pytest.mark.django_db

"""Sessions: Django's database store, its row read by a prepared read (config/sessions.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import LazySettings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from amicable.config.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back_in_one_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    store = SessionStore()
    store["portal_debtor_id"] = 42
    store.save()
    SessionStore(store.session_key).load()  # the read is prepared on its first use
    with django_assert_num_queries(1):
        again = SessionStore(store.session_key)
        assert again["portal_debtor_id"] == 42
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_reads_as_empty_and_its_key_is_dropped() -> None:
    store = SessionStore()
    store["portal_debtor_id"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {}
    unknown["portal_debtor_id"] = 7
    unknown.save()
    assert unknown.session_key not in (None, "x" * 32)


def test_the_site_keeps_its_sessions_in_this_store(client: Client, settings: LazySettings) -> None:
    assert settings.SESSION_ENGINE == "amicable.config.sessions"
    assert isinstance(client.session, SessionStore)

"""The benchmark's ceiling page exists only when development or the benchmark enables it."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client, RequestFactory

from amicable.portal.views.public import bench_ping


def test_ping_is_not_served_in_production(client: Client, db: None) -> None:
    assert client.get("/bench-ping/").status_code == 404


def test_ping_view_refuses_without_the_switch(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AMICABLE_BENCH", raising=False)
    with pytest.raises(Http404):
        bench_ping(RequestFactory().get("/bench-ping/"))


def test_ping_runs_one_query_when_the_benchmark_enables_it(
    db: None, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: object
) -> None:
    monkeypatch.setenv("AMICABLE_BENCH", "1")
    with django_assert_num_queries(1):  # type: ignore[operator]
        response = bench_ping(RequestFactory().get("/bench-ping/"))
    assert response.status_code == 200
    assert response.content == b"<!doctype html><title>pong</title><p>pong</p>"

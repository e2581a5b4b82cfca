"""POST /files/batch: each file accepted or refused on its own, with its index and fields."""

from __future__ import annotations

from typing import Any

from django.test import Client

from amicable.files.models import Claim, File
from tests.intake.conftest import claim_payload, file_payload, post


def _batch(api: Client, files: list[Any]) -> Any:
    return post(api, "/files/batch", {"files": files})


def test_valid_files_are_created_and_invalid_ones_reported(api: Client) -> None:
    bad = file_payload("FILE-2", claims=[claim_payload(principal="-1")])

    response = _batch(api, [file_payload("FILE-1"), bad, file_payload("FILE-3"), 42])

    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["existing"], body["rejected"]) == (2, 0, 2)
    assert [(i["index"], i["status"], i["creditor_reference"]) for i in body["items"]] == [
        (0, "created", "FILE-1"),
        (1, "rejected", "FILE-2"),
        (2, "created", "FILE-3"),
        (3, "rejected", None),
    ]
    assert body["items"][1]["errors"] == [
        {"field": "claims[0].principal", "reason": "The amount must be more than 0.00."}
    ]
    assert body["items"][3]["errors"] == [
        {
            "field": None,
            "reason": "Input should be a valid dictionary or instance of FileIn",
        }
    ]
    references = {i["reference"] for i in body["items"] if i["status"] == "created"}
    assert set(File.objects.values_list("reference", flat=True)) == references
    assert sorted(File.objects.values_list("creditor_reference", flat=True)) == [
        "FILE-1",
        "FILE-3",
    ]


def test_sending_the_batch_again_creates_nothing(api: Client) -> None:
    files = [file_payload(f"FILE-{n}") for n in range(3)]
    first = _batch(api, files).json()

    again = _batch(api, files).json()

    assert (again["created"], again["existing"], again["rejected"]) == (0, 3, 0)
    assert [i["reference"] for i in again["items"]] == [i["reference"] for i in first["items"]]
    assert File.objects.count() == 3
    assert Claim.objects.count() == 3


def test_a_reference_twice_in_one_batch_is_refused_the_second_time(api: Client) -> None:
    response = _batch(api, [file_payload("FILE-1"), file_payload("FILE-1")])

    body = response.json()
    assert [i["status"] for i in body["items"]] == ["created", "rejected"]
    assert body["items"][1]["errors"] == [
        {
            "field": "creditor_reference",
            "reason": "This reference is already used by files[0] of this batch.",
        }
    ]


def test_a_batch_of_many_files_with_several_claims(api: Client) -> None:
    files = [
        file_payload(
            f"FILE-{n}",
            claims=[claim_payload(creditor_reference=f"INV-{n}-{c}") for c in range(2)],
        )
        for n in range(200)
    ]

    body = _batch(api, files).json()

    assert body["created"] == 200
    assert Claim.objects.count() == 400


def test_more_than_1000_files_is_refused_whole(api: Client) -> None:
    response = _batch(api, [{}] * 1001)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "files",
            "reason": "List should have at most 1000 items after validation, not 1001",
        }
    ]
    assert File.objects.count() == 0


def test_an_empty_batch_is_refused(api: Client) -> None:
    response = _batch(api, [])

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "files"

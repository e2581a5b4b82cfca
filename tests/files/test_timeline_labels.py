"""Every event kind has its label, in each language: the back office's timeline and audit trail
show the label, never the stored code (issue 14, "no raw codes anywhere a person reads")."""

from __future__ import annotations

import pytest
from django.utils import translation

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.files.labels import COMPONENT_LABELS, STATE_LABELS, component_label, state_label
from amicable.files.timeline import EVENT_LABELS, EventKind, event_label


def test_every_kind_state_and_component_has_a_label() -> None:
    assert set(EVENT_LABELS) == set(EventKind)
    assert set(STATE_LABELS) == set(FileState)
    assert set(COMPONENT_LABELS) == set(Component)


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_the_labels_are_translated(language: str) -> None:
    with translation.override("en"):
        english = {kind: kind.label for kind in EventKind}
    with translation.override(language):
        # "E-mail" and a few others are the same word in Dutch or German: most are not.
        same = [kind.value for kind in EventKind if kind.label == english[kind]]
        assert len(same) <= 3, same
        assert "_" not in state_label("formal_notice")
        assert state_label("formal_notice") != "Formal notice to send"
        assert component_label("reminder_cost") != "Reminder costs"


def test_french_words_for_the_codes_of_the_issue() -> None:
    with translation.override("fr"):
        assert state_label("disputed") == "Contesté"
        assert component_label("principal") == "Principal"
        assert event_label("state_changed") == "Changement d’étape"


def test_an_unknown_code_is_shown_as_stored() -> None:
    assert event_label("kind_of_the_future") == "kind_of_the_future"
    assert state_label("state_of_the_future") == "state_of_the_future"
    assert component_label("") == ""

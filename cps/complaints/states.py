"""Complaint states and the transitions allowed between them: one table for every channel."""

import enum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class State(enum.StrEnum):
    """Where a complaint stands. Open311 sees only open/closed (see `is_open`)."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    REOPENED = "reopened"

    @property
    def title(self):
        """The state's name for people, translated lazily, in the current city's wording when
        it has its own (see cps.notify.wording)."""
        return LazyString(_title, self)

    @property
    def is_open(self) -> bool:
        """True while the city still has work to do on the complaint."""
        return self not in CLOSED_STATES


TITLES = {
    State.RECEIVED: _l("Received"),
    State.ACKNOWLEDGED: _l("Acknowledged"),
    State.IN_PROGRESS: _l("In progress"),
    State.RESOLVED: _l("Resolved"),
    State.CLOSED: _l("Closed"),
    State.REJECTED: _l("Rejected"),
    State.DUPLICATE: _l("Duplicate"),
    State.REOPENED: _l("Reopened"),
}


def _title(state: State) -> str:
    from cps.notify.wording import say  # it lists these titles among the texts cities reword

    return say(f"state.{state.value}")


CLOSED_STATES = frozenset({State.RESOLVED, State.CLOSED, State.REJECTED, State.DUPLICATE})

TRANSITIONS: dict[State, frozenset[State]] = {
    State.RECEIVED: frozenset(
        {State.ACKNOWLEDGED, State.IN_PROGRESS, State.RESOLVED, State.REJECTED, State.DUPLICATE}
    ),
    State.ACKNOWLEDGED: frozenset(
        {State.IN_PROGRESS, State.RESOLVED, State.REJECTED, State.DUPLICATE}
    ),
    State.IN_PROGRESS: frozenset({State.RESOLVED, State.REJECTED, State.DUPLICATE}),
    State.RESOLVED: frozenset({State.CLOSED, State.REOPENED}),
    State.REOPENED: frozenset(
        {State.ACKNOWLEDGED, State.IN_PROGRESS, State.RESOLVED, State.REJECTED, State.DUPLICATE}
    ),
    State.CLOSED: frozenset({State.REOPENED}),
    State.REJECTED: frozenset({State.REOPENED}),
    State.DUPLICATE: frozenset(),
}


def can_transition(from_state: State, to_state: State) -> bool:
    """True when the table allows going from `from_state` to `to_state`."""
    return to_state in TRANSITIONS[from_state]

"""A new complaint written with its first event and outbox rows, in as few round trips as the
database allows: on PostgreSQL one statement (the event and outbox INSERTs are data-modifying
CTEs reading the complaint's RETURNING), elsewhere one statement per table.

Either way the complaint's INSERT does nothing when its reference is taken (ON CONFLICT DO
NOTHING on the unique constraint), and then neither do the others: the caller draws another
reference. Any other conflict (the same form sent twice) raises IntegrityError.
"""

from sqlalchemy import bindparam, func, insert, null, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from cps.complaints.models import Complaint, ComplaintEvent
from cps.extensions import db
from cps.notify.models import Outbox

UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
COMPLAINT, EVENT, OUTBOX = Complaint.__table__, ComplaintEvent.__table__, Outbox.__table__
# Filled from the complaint's row in the event's and outbox rows.
FROM_COMPLAINT = ("city_id", "complaint_id")


def complete(table, values: dict) -> dict:
    """A value for every column of a new row of `table` but its id: the given one, else the
    column's default, else None. Rows written whole need no Python-side defaults, and the
    complaint's ORM object made from its row knows every column."""
    row = {}
    for column in table.columns:
        if column.key in values:
            row[column.key] = values[column.key]
        elif column.default is not None:
            default = column.default
            row[column.key] = default.arg(None) if default.is_callable else default.arg
        elif not column.primary_key:
            row[column.key] = None
    return row


def write(complaint: dict, event: dict, messages: list[dict]) -> tuple[int, list] | None:
    """Insert the complaint (a complete row, with its reference), its event and its outbox
    rows (complete rows; their city_id and complaint_id come from the complaint's).

    Returns the complaint's id and the outbox rows' ids, or None when the reference is taken
    and nothing was written."""
    db.session.flush()   # rows the complaint refers to may still be pending
    # The session's connection, in its transaction: Core statements need no ORM machinery.
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        params = {**complaint, **_prefixed("e_", event)}
        for i, message in enumerate(messages):
            params.update(_prefixed(f"m{i}_", message))
        found = connection.execute(_at_once(len(messages)), params).one_or_none()
        return None if found is None else (found[0], found[1] or [])
    return _in_turn(connection, complaint, event, messages)


def _in_turn(connection, complaint: dict, event: dict, messages: list[dict]):
    complaint_id = connection.execute(_complaint_insert(connection.dialect.name),
                                      complaint).scalar()
    if complaint_id is None:
        return None
    owner = {"city_id": complaint["city_id"], "complaint_id": complaint_id}
    connection.execute(insert(EVENT), {**event, **owner})
    ids = [connection.execute(insert(OUTBOX).returning(OUTBOX.c.id),
                              {**message, **owner}).scalar() for message in messages]
    return complaint_id, ids


def _complaint_insert(dialect: str):
    return (UPSERTS[dialect](COMPLAINT)
            .on_conflict_do_nothing(index_elements=[COMPLAINT.c.city_id, COMPLAINT.c.reference])
            .returning(COMPLAINT.c.id, COMPLAINT.c.city_id))


_statements: dict[int, object] = {}


def _at_once(count: int):
    """The PostgreSQL statement for a complaint with `count` outbox rows, built once: its
    parameters are named after the columns, prefixed "e_" for the event's and "mN_" for the
    Nth outbox row's."""
    if count not in _statements:
        new = _complaint_insert("postgresql").values(_binds(COMPLAINT)).cte("new_complaint")
        columns, event_row = _from(new, EVENT, "e_")
        event = insert(EVENT).from_select(columns, event_row).cte("new_event")
        outbox_ids = null()
        if count:
            columns = _from(new, OUTBOX, "")[0]
            rows = union_all(*(_from(new, OUTBOX, f"m{i}_")[1] for i in range(count)))
            outbox = (insert(OUTBOX).from_select(columns, rows).returning(OUTBOX.c.id)
                      .cte("new_outbox"))
            outbox_ids = select(func.array_agg(outbox.c.id)).scalar_subquery()
        # The event's CTE is not read by the SELECT: add_cte() makes it run all the same.
        _statements[count] = select(new.c.id, outbox_ids).add_cte(event)
    return _statements[count]


def _binds(table, prefix: str = "") -> dict:
    return {column.key: bindparam(prefix + column.key, type_=column.type)
            for column in table.columns if not column.primary_key}


def _from(new, table, prefix: str):
    """(columns, SELECT) inserting a row of `table` that belongs to the new complaint."""
    columns = [c.key for c in table.columns if not c.primary_key]
    values = [new.c.city_id if key == "city_id" else new.c.id if key == "complaint_id"
              else bindparam(prefix + key, type_=table.c[key].type) for key in columns]
    return columns, select(*values)


def _prefixed(prefix: str, row: dict) -> dict:
    return {prefix + key: value for key, value in row.items() if key not in FROM_COMPLAINT}

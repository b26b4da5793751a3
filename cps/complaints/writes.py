"""A new complaint written with its first event and outbox rows, in as few round trips as the
database allows: on PostgreSQL one statement (the event and outbox INSERTs are data-modifying
CTEs reading the complaint's RETURNING), elsewhere one statement per table.

Either way the complaint's INSERT does nothing when its reference is taken (ON CONFLICT DO
NOTHING on the unique constraint), and then neither do the others: the caller draws another
reference. Any other conflict (the same form sent twice) raises IntegrityError.
"""

from functools import cache, lru_cache

from sqlalchemy import bindparam, func, insert, null, select, union_all
from sqlalchemy.dialects import postgresql, sqlite

from cps.complaints.models import Complaint, ComplaintEvent
from cps.extensions import db
from cps.notify.models import Outbox

UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
COMPLAINT, EVENT, OUTBOX = Complaint.__table__, ComplaintEvent.__table__, Outbox.__table__
# Filled from the complaint's row in the event's and outbox rows.
FROM_COMPLAINT = ("city_id", "complaint_id")


def new_row(table, values: dict) -> dict:
    """The columns an INSERT of a new row of `table` names: the given ones, and the others
    that have a Python-side default (evaluated here). The rest are left to the database
    (NULL): a statement with fewer parameters, which psycopg parses once and not per call
    (it keeps at most 50 parameters' worth)."""
    row = dict(values)
    for key, default in _defaults(table):
        if key not in row:
            row[key] = default.arg(None) if default.is_callable else default.arg
    return row


@cache
def _defaults(table) -> tuple:
    """(key, default) of the columns of `table` that have a Python-side default."""
    return tuple((c.key, c.default) for c in table.columns if c.default is not None)


def every_column(table, row: dict) -> dict:
    """`row` with None for the columns it leaves out (but the id): what the database holds."""
    return {c.key: row.get(c.key) for c in table.columns if not c.primary_key}


def write(complaint: dict, event: dict, messages: list[dict]) -> tuple[int, list] | None:
    """Insert the complaint (a new_row(), with its reference), its event and its outbox rows
    (new_row()s too, all with the same columns; their city_id and complaint_id come from the
    complaint's).

    Returns the complaint's id and the outbox rows' ids, or None when the reference is taken
    and nothing was written."""
    db.session.flush()   # rows the complaint refers to may still be pending
    # The session's connection, in its transaction: Core statements need no ORM machinery.
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return _in_turn(connection, complaint, event, messages)
    event, messages = _own(event), [_own(m) for m in messages]
    params = {**complaint, **_prefixed("e_", event)}
    for i, message in enumerate(messages):
        params.update(_prefixed(f"m{i}_", message))
    statement = _at_once(tuple(complaint), tuple(event),
                         tuple(messages[0]) if messages else (), len(messages))
    found = connection.execute(statement, params).one_or_none()
    return None if found is None else (found[0], found[1] or [])


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


@lru_cache(maxsize=64)
def _at_once(complaint: tuple, event: tuple, message: tuple, count: int):
    """The PostgreSQL statement for rows with these columns (`count` outbox rows, all with
    the same columns), built once. Its parameters are named after the columns, prefixed "e_"
    for the event's and "mN_" for the Nth outbox row's."""
    new = (_complaint_insert("postgresql")
           .values({key: _bind("", COMPLAINT, key) for key in complaint})
           .cte("new_complaint"))
    event_insert = (insert(EVENT).from_select([*FROM_COMPLAINT, *event],
                                              _row_of(new, EVENT, "e_", event))
                    .cte("new_event"))
    outbox_ids = null()
    if count:
        rows = union_all(*(_row_of(new, OUTBOX, f"m{i}_", message) for i in range(count)))
        outbox = (insert(OUTBOX).from_select([*FROM_COMPLAINT, *message], rows)
                  .returning(OUTBOX.c.id).cte("new_outbox"))
        outbox_ids = select(func.array_agg(outbox.c.id)).scalar_subquery()
    # The event's CTE is not read by the SELECT: add_cte() makes it run all the same.
    return select(new.c.id, outbox_ids).add_cte(event_insert)


def _bind(prefix: str, table, key: str):
    return bindparam(prefix + key, type_=table.c[key].type)


def _row_of(new, table, prefix: str, columns: tuple):
    """SELECT of a row of `table` that belongs to the new complaint."""
    return select(new.c.city_id, new.c.id, *(_bind(prefix, table, key) for key in columns))


def _own(row: dict) -> dict:
    return {key: value for key, value in row.items() if key not in FROM_COMPLAINT}


def _prefixed(prefix: str, row: dict) -> dict:
    return {prefix + key: value for key, value in row.items()}

"""district: geometry optional (districts known by name only)

Revision ID: d20c836056e6
Revises: 831bd549d95b
Create Date: 2026-12-04 10:12:31.208417

SQLite cannot ALTER a column's nullability, and the usual table rebuild (copy, DROP, rename)
is impossible here: the migration runs in a transaction with foreign keys on, where DROP TABLE
district would cascade to routing_rule and be refused for complaint.district_id. SQLite's own
procedure for removing (or, once no row is NULL, restoring) a NOT NULL constraint is to edit
the table's stored CREATE statement (https://www.sqlite.org/lang_altertable.html, "Making
Other Kinds Of Table Schema Changes"). SpatiaLite's metadata of the column is untouched by it:
geometry_columns records type, dimension and SRID but no nullability, its triggers
(GeometryConstraints, RTreeAlign into idx_district_geom) let NULL through, and the R*Tree
index keys rows by rowid, which stays the same.
"""
import re

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

# revision identifiers, used by Alembic.
revision = 'd20c836056e6'
down_revision = '831bd549d95b'
branch_labels = None
depends_on = None

GEOM_TYPE = Geometry(geometry_type='MULTIPOLYGON', srid=4326, dimension=2, spatial_index=False,
                     from_text='ST_GeomFromEWKT', name='geometry')
NOT_NULL = re.compile(r'(\bgeom\s+GEOMETRY)(\s+NOT\s+NULL)?', re.IGNORECASE)


def upgrade():
    _set_nullable(True)


def downgrade():
    name_only = op.get_bind().execute(
        sa.text("SELECT count(*) FROM district WHERE geom IS NULL")).scalar_one()
    if name_only:
        raise RuntimeError(
            f"Cannot downgrade: {name_only} districts have no geometry (imported with "
            "--allow-missing-geometry). Give them polygons or delete them first.")
    _set_nullable(False)


def _set_nullable(nullable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_set_nullable(bind, nullable)
    else:
        op.alter_column('district', 'geom', existing_type=GEOM_TYPE, nullable=nullable)


def _sqlite_set_nullable(bind, nullable: bool) -> None:
    table_sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'district'").scalar_one()
    wanted = r'\1' if nullable else r'\1 NOT NULL'
    new_sql, found = NOT_NULL.subn(wanted, table_sql, count=1)
    if not found:
        raise RuntimeError("district.geom not found in the table's CREATE statement")
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql "
                         "WHERE type = 'table' AND name = 'district'"), {"sql": new_sql})
    # A new schema version makes every connection read the edited statement again.
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    _check_applied(bind, nullable)


def _check_applied(bind, nullable: bool) -> None:
    """SQLite's defensive mode ignores writable_schema silently: make sure it took."""
    columns = bind.exec_driver_sql("PRAGMA table_info(district)").all()
    not_null = next(c[3] for c in columns if c[1] == 'geom')
    if bool(not_null) == nullable:
        raise RuntimeError("SQLite refused to change district.geom (defensive mode?)")

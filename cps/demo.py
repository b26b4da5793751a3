"""The demo: database, demo city, one staff account per role and department, and complaints."""

import random
import secrets

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import func, select

from cps import PROJECT_ROOT
from cps.cities.models import City
from cps.cities.packs.service import load_pack
from cps.complaints.models import Complaint
from cps.demo_data import make_complaints
from cps.extensions import db
from cps.staff.models import Role, StaffUser


def set_up_demo(count: int, echo=print, seed: int = 20261123) -> list[City]:
    """Bring the database up to date and fill it with the demo cities; safe to run again.

    The first city gets `count` synthetic complaints, each other one a third as many."""
    if not schema_is_current():
        upgrade(directory=str(PROJECT_ROOT / "migrations"))
    cities = []
    for n, slug in enumerate(current_app.config["DEMO_CITIES"]):
        city, changes, warnings = load_pack(_pack_path(slug))
        for warning in warnings:
            echo(warning)
        echo(f"City {city.slug}: " + (", ".join(f"{n} {w}" for w, n in sorted(changes.items()))
                                      or "up to date"))
        _print_accounts(demo_accounts(city), echo)
        _add_complaints(city, count if n == 0 else count // 3, echo, seed)
        cities.append(city)
    return cities


def _add_complaints(city: City, count: int, echo, seed: int) -> None:
    slug = city.slug  # read before the commit: reading it after would open a new transaction
    existing = db.session.scalar(select(func.count()).where(Complaint.city_id == city.id))
    if not existing and count > 0:
        made = make_complaints(city, count, random.Random(seed))
        echo(f"Added {made} synthetic complaints to {slug}.")
    else:
        echo(f"{slug} already has {existing} complaints; none added.")
    # End the transaction either way: on SQLite an open one would keep the served demo from
    # writing ("database is locked").
    db.session.commit()


def schema_is_current() -> bool:
    """True when the database is at the newest migration (checked on the session's connection)."""
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    current = MigrationContext.configure(db.session.connection()).get_current_revision()
    db.session.commit()  # end this transaction: upgrade() takes a connection of its own
    return current == head


def _pack_path(slug: str):
    return PROJECT_ROOT / current_app.config["CITY_PACKS_DIR"] / slug


def demo_accounts(city: City) -> list[tuple[StaffUser, str]]:
    """Create or reset the demo staff accounts; return them with fresh passwords."""
    wanted = [("admin", Role.ADMIN, None), ("viewer", Role.VIEWER, None)]
    for dept in city.departments:
        wanted += [(f"{dept.code}.manager", Role.MANAGER, dept),
                   (f"{dept.code}.officer", Role.OFFICER, dept)]
    accounts = [_account(city, *spec) for spec in wanted]
    db.session.commit()
    return accounts


def _account(city: City, login: str, role: Role, dept) -> tuple[StaffUser, str]:
    email = f"{login}@{city.slug}.example"
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    if user is None:
        user = StaffUser(city_id=city.id, email=email)
        db.session.add(user)
    name = dept.name() if dept else city.name()
    user.name = f"{role.title} · {name}"
    user.role, user.department_id, user.active = role, dept.id if dept else None, True
    user.can_triage = role in (Role.ADMIN, Role.MANAGER)
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    return user, password


def _print_accounts(accounts, echo) -> None:
    echo("Demo staff accounts (passwords are new on every run):")
    width = max(len(user.email) for user, _ in accounts)
    for user, password in accounts:
        echo(f"  {user.email:<{width}}  {password}  {user.role.value}")


"""Routing: which department handles a complaint of a category in a district."""

from sqlalchemy import select

from cps.extensions import db
from cps.routing.models import RoutingRule


def rule_rank(rule: RoutingRule) -> tuple:
    """Sort key: category+district first, then category, then district, then the default."""
    specificity = (rule.category_id is not None) * 2 + (rule.district_id is not None)
    return (-specificity, -rule.priority, rule.id or 0)


def route(city_id: int, category_id: int | None, district_id: int | None) -> int | None:
    """The department id for the most specific matching rule, or None (triage queue)."""
    rules = db.session.scalars(
        select(RoutingRule).where(
            RoutingRule.city_id == city_id,
            (RoutingRule.category_id == category_id) | RoutingRule.category_id.is_(None),
            (RoutingRule.district_id == district_id) | RoutingRule.district_id.is_(None),
        )
    ).all()
    best = min(rules, key=rule_rank, default=None)
    return best.department_id if best is not None else None

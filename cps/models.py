"""Imports every model so that SQLAlchemy metadata (and Alembic) sees the whole schema."""

from cps.cities.models import Category, City, Department, Holiday
from cps.complaints.models import Channel, Complaint, ComplaintEvent, Photo, Supporter
from cps.notify.models import JobRun, OptOut, Outbox, OutboxState
from cps.routing.models import District, Landmark, RoutingRule
from cps.sms.models import InboundSms, SmsCitizen, SmsConversation
from cps.staff.models import Role, StaffUser

__all__ = [
    "Category", "Channel", "City", "Complaint", "ComplaintEvent", "Department", "District",
    "Holiday", "JobRun", "Landmark", "OptOut", "Outbox", "OutboxState", "Photo", "Role",
    "RoutingRule", "StaffUser", "Supporter", "InboundSms", "SmsCitizen", "SmsConversation",
]

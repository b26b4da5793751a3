"""Imports every model so that SQLAlchemy metadata (and Alembic) sees the whole schema."""

from cps.cities.models import Category, City, Department, Holiday
from cps.classify.models import CityClassifier
from cps.complaints.models import Channel, Complaint, ComplaintEvent, Photo, Supporter
from cps.notify.models import JobRun, OptOut, Outbox, OutboxState
from cps.open311.models import ApiKey
from cps.routing.models import District, Landmark, RoutingRule
from cps.sms.models import InboundSms, SmsCitizen, SmsConversation
from cps.staff.models import AuditEntry, Role, StaffUser

__all__ = [
    "ApiKey", "AuditEntry", "Category", "Channel", "City", "CityClassifier", "Complaint",
    "ComplaintEvent",
    "Department",
    "District", "Holiday", "InboundSms", "JobRun", "Landmark", "OptOut", "Outbox",
    "OutboxState", "Photo", "Role", "RoutingRule", "SmsCitizen", "SmsConversation", "StaffUser",
    "Supporter",
]

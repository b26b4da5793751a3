"""Outbound notifications: the outbox, channels (SMS, e-mail) and templates per locale."""

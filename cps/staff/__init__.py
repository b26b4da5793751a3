"""Staff accounts, department queues, workflow and accountability."""

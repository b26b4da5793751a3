"""SMS: complaints filed, located, followed, reopened and rated from any phone."""

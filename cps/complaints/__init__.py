"""Complaints: intake, states, history, photos and the citizen's web pages."""

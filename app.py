"""WSGI entry point: gunicorn app:app, flask --app app ..."""

from cps import create_app

app = create_app()

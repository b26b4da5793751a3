"""Waking workers for outbox rows: RQ on Redis in production, a thread in the embedded default.

The database is the record of the work; Redis only carries ids to wake workers. If Redis is down
or hangs, enqueueing gives up within its sub-second timeouts, the request still succeeds, and the
scheduler's sweep enqueues the rows again once Redis is back.
"""

import logging

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

log = logging.getLogger(__name__)
DELIVERY_QUEUE = "outbox"


def mode(app=None) -> str:
    """"rq" with a Redis URL, "thread" on the embedded default, or "off" (JOBS_MODE)."""
    app = app or current_app
    if app.config["JOBS_MODE"] != "auto":
        return app.config["JOBS_MODE"]
    return "rq" if app.config["REDIS_URL"] else "thread"


def redis_connection(app=None) -> Redis:
    """This app's Redis client: short timeouts and no retry loop, so a request never hangs."""
    app = app or current_app
    client = app.extensions.get("cps_redis")
    if client is None:
        timeout = app.config["REDIS_TIMEOUT_S"]
        client = Redis.from_url(app.config["REDIS_URL"], socket_timeout=timeout,
                                socket_connect_timeout=timeout, retry=None,
                                retry_on_timeout=False, health_check_interval=0)
        app.extensions["cps_redis"] = client
    return client


def queue_name(name: str, app=None) -> str:
    """Queue names carry the install's prefix, so several installs can share one Redis."""
    return f"{(app or current_app).config['QUEUE_PREFIX']}:{name}"


def rq_queue(name: str = DELIVERY_QUEUE, app=None) -> Queue:
    return Queue(queue_name(name, app), connection=redis_connection(app))


def wake(outbox_ids: list[int]) -> None:
    """Ask a worker to deliver these rows soon; never raises (the sweep is the safety net)."""
    if not outbox_ids:
        return
    current = mode()
    if current == "rq":
        _enqueue(outbox_ids)
    elif current == "thread":
        from cps.jobs.runner import embedded_runner

        embedded_runner(current_app._get_current_object()).wake()


def _enqueue(outbox_ids: list[int]) -> None:
    try:
        q = rq_queue()
        for outbox_id in outbox_ids:
            q.enqueue("cps.jobs.tasks.deliver_job", outbox_id,
                      job_timeout=current_app.config["PROVIDER_TIMEOUT"] * 3)
    except (RedisError, OSError) as exc:
        log.warning("redis unavailable, %d outbox rows wait for the sweep: %s",
                    len(outbox_ids), type(exc).__name__)

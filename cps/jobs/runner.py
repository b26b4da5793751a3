"""The embedded default's worker: a thread in the web process that delivers due outbox rows."""

import logging
import threading

from cps.extensions import db
from cps.jobs.tasks import run_periodic
from cps.notify.delivery import deliver, due_ids

log = logging.getLogger(__name__)


class EmbeddedRunner:
    """Delivers due rows when woken, and at least every SWEEP_INTERVAL_S seconds."""

    def __init__(self, app):
        self.app = app
        self.event = threading.Event()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def wake(self) -> None:
        """Start the thread if needed and have it look at the outbox now."""
        self.start()
        self.event.set()

    def start(self) -> None:
        with self.lock:
            self.stopping.clear()
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="cps-outbox",
                                               daemon=True)
                self.thread.start()

    def stop(self, timeout: float = 10) -> None:
        """Finish the current round and end the thread."""
        self.stopping.set()
        self.event.set()
        if self.thread is not None:
            self.thread.join(timeout)

    def run_once(self) -> int:
        """Deliver every due row once; return how many were tried."""
        with self.app.app_context():
            try:
                run_periodic()
                ids = due_ids(self.app.config["SWEEP_BATCH"])
                for outbox_id in ids:
                    deliver(outbox_id)
                return len(ids)
            finally:
                db.session.remove()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            self.event.wait(timeout=self.app.config["SWEEP_INTERVAL_S"])
            self.event.clear()
            if self.stopping.is_set():
                return
            try:
                self.run_once()
            except Exception:
                log.exception("outbox delivery round failed; retrying on the next round")


def embedded_runner(app) -> EmbeddedRunner:
    """The app's one embedded runner."""
    return app.extensions.setdefault("cps_runner", EmbeddedRunner(app))

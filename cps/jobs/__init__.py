"""Background work: RQ workers, the scheduler, and the embedded runner of the outbox."""

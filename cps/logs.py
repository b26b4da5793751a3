"""Log hygiene: secrets in request lines are replaced before a record is written."""

import logging
import re

SECRET_ARGS = re.compile(r"((?:api_key|token|key)=)[^&\s\"']+", re.IGNORECASE)


class RedactSecrets(logging.Filter):
    """Replaces the values of api_key= (and similar) arguments in a record's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = SECRET_ARGS.sub(r"\1[redacted]", record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(SECRET_ARGS.sub(r"\1[redacted]", a) if isinstance(a, str)
                                else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: SECRET_ARGS.sub(r"\1[redacted]", v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        return True

"""Logging filters of the portal's LOGGING setting (settings.py)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 403 or 404 is the portal answering as designed, not a fault: Django logs it with the
    exception's traceback, which buries real errors; keep the one-line warning only."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True

"""Log set-up shared by the Python processes: plain text by default, JSON lines on request.

    OMNISHOP_LOG_FORMAT=json   one JSON object a line: ts, level, logger, message, and any
                               `extra` fields given (conversation_id, latency_ms, status, ...)
    OMNISHOP_LOG_LEVEL=INFO

JSON lines are what a log shipper (Loki, Elasticsearch, CloudWatch) indexes without parsing
rules, so one conversation can be followed across instances by its conversation_id.
Stdlib only.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from runtime.settings import LogSettings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRIBUTES})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(logs: LogSettings) -> None:
    handler = logging.StreamHandler()
    if logs.format.lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logs.level.upper())

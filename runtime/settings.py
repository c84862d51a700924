"""Process-wide settings, read from environment variables with sane defaults.

Every process (Rasa's custom NLU component, the action server, the web app, the CLIs)
reads the same names, so one `.env` or one `export` configures the whole assistant.
Stdlib only: this module is imported from both the Python 3.10 (Rasa) and 3.11 venvs.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Where things live and how the processes find each other."""

    var_dir: Path
    index_dir: Path
    catalog_path: Path
    database_url: str
    rasa_url: str
    action_server_url: str
    web_host: str
    web_port: int
    model_path: str | None
    model_sha256: str | None
    redis_url: str | None = None  # Rasa's lock store when several Rasa servers share conversations

    @classmethod
    def from_env(cls) -> "Settings":
        var_dir = _path("OMNISHOP_VAR", REPO_ROOT / "var")
        return cls(
            var_dir=var_dir,
            index_dir=_path("OMNISHOP_INDEX", var_dir / "index"),
            catalog_path=_path("CATALOG", REPO_ROOT / "data" / "demo_catalog" / "merchant_feed.tsv"),
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{var_dir / 'omnishop.db'}",
            rasa_url=os.environ.get("RASA_URL", "http://localhost:5005").rstrip("/"),
            action_server_url=os.environ.get("ACTION_SERVER_URL", "http://localhost:5055/webhook"),
            web_host=os.environ.get("WEB_HOST", "127.0.0.1"),
            web_port=int(os.environ.get("WEB_PORT", "8000")),
            model_path=os.environ.get("OMNISHOP_MODEL_PATH") or None,
            model_sha256=os.environ.get("OMNISHOP_MODEL_SHA256") or None,
            redis_url=os.environ.get("REDIS_URL") or None,
        )

"""How each of the three processes is started, with which environment.

Shared by the supervisor (`make run`) and the end-to-end tests, so both start the
assistant exactly the same way.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from runtime.settings import REPO_ROOT, Settings, inherited_environment

RASA_PYTHON = REPO_ROOT / ".venv" / "rasa" / "bin" / "python"
APP_PYTHON = REPO_ROOT / ".venv" / "app" / "bin" / "python"
RASA_MODEL = REPO_ROOT / "models" / "omnishop.tar.gz"
REDIS_LOCK_STORE = "runtime.redis_lock_store.AtomicRedisLockStore"


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]
    env: dict[str, str]
    health_url: str


def tracker_store_env(settings: Settings) -> dict[str, str]:
    """Rasa's SQL tracker store settings from DATABASE_URL (its own SQLite file by default)."""
    url = settings.database_url
    dialect = urlsplit(url).scheme.split("+")[0]
    if dialect != "sqlite":
        return {"TRACKER_DB_DIALECT": dialect, "TRACKER_DB_URL": url, "TRACKER_DB_NAME": ""}
    return {"TRACKER_DB_DIALECT": "sqlite", "TRACKER_DB_URL": "",
            "TRACKER_DB_NAME": str(settings.var_dir / "rasa_tracker.db")}


def lock_store_env(settings: Settings) -> dict[str, str]:
    """Rasa's lock store: Redis from REDIS_URL (redis://host:port/db), else in-process.

    One Rasa server needs no shared lock; several behind a load balancer must share one,
    so two turns of the same conversation never run at once on different servers. Rasa's
    own `redis` type can hand two servers the same ticket (runtime/redis_lock_store.py says
    how), so the type is our atomic store.
    """
    if not settings.redis_url:
        return {"LOCK_STORE_TYPE": "in_memory", "LOCK_STORE_HOST": "", "LOCK_STORE_PORT": "", "LOCK_STORE_DB": ""}
    url = urlsplit(settings.redis_url)
    return {"LOCK_STORE_TYPE": REDIS_LOCK_STORE, "LOCK_STORE_HOST": url.hostname or "localhost",
            "LOCK_STORE_PORT": str(url.port or 6379), "LOCK_STORE_DB": url.path.strip("/") or "0"}


def base_env(settings: Settings) -> dict[str, str]:
    env = inherited_environment()
    env.update({
        "PYTHONPATH": str(REPO_ROOT),
        "PYTHONUNBUFFERED": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "OMNISHOP_VAR": str(settings.var_dir),
        "OMNISHOP_INDEX": str(settings.index_dir),
        "DATABASE_URL": settings.database_url,
        "ACTION_SERVER_URL": settings.action_server_url,
        "TOKENIZERS_PARALLELISM": "false",
        "RASA_TELEMETRY_ENABLED": "false",
    })
    return env


def process_specs(settings: Settings, rasa_port: int = 5005, action_port: int = 5055,
                  web_port: int | None = None) -> list[ProcessSpec]:
    web_port = web_port or settings.web_port
    env = base_env(settings)
    rasa_env = {**env, **tracker_store_env(settings), **lock_store_env(settings), "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook"}
    web_env = {**env, "RASA_URL": f"http://127.0.0.1:{rasa_port}", "WEB_PORT": str(web_port)}
    return [
        ProcessSpec(
            "rasa",
            [str(RASA_PYTHON), "-m", "runtime.rasa_server", "run", "--enable-api", "--port", str(rasa_port),
             "--interface", "127.0.0.1", "--model", str(RASA_MODEL),
             "--credentials", str(REPO_ROOT / "bot" / "credentials.yml"),
             "--endpoints", str(REPO_ROOT / "bot" / "endpoints.yml")],
            rasa_env,
            f"http://127.0.0.1:{rasa_port}/status",
        ),
        ProcessSpec(
            "actions",
            [str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(action_port)],
            {**env, "OMNISHOP_PRELOAD": "1"},
            f"http://127.0.0.1:{action_port}/health",
        ),
        ProcessSpec("web", [str(APP_PYTHON), "-m", "web"], web_env, f"http://127.0.0.1:{web_port}/healthz?live=1"),
    ]

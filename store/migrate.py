"""Bring the shop database to the newest schema with Alembic.

    python -m store.migrate [--help]      (uses DATABASE_URL, default SQLite under var/)

The store also calls `upgrade()` when it starts, so a deployment never runs on an old schema.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def main() -> None:
    from sqlalchemy import create_engine

    from runtime.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m store.migrate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--revision", default="head")
    args = parser.parse_args()
    url = Settings.from_env().database_url
    upgrade(create_engine(url), args.revision)
    print(f"shop database at {url.split('@')[-1]} is at revision {args.revision}")


if __name__ == "__main__":
    main()

"""The real recommender over the demo index that `make test` builds (`make index` alone
builds it too), with its SQLite tables for the independent checks."""
from __future__ import annotations

import sqlite3

import pytest

from index_artefact import layout
from recommender.engine import Recommender
from tests import demo_index


@pytest.fixture(scope="session")
def demo_recommender() -> Recommender:
    return demo_index.demo_recommender()


@pytest.fixture(scope="session")
def demo_db(demo_recommender) -> sqlite3.Connection:
    db = sqlite3.connect(demo_recommender.catalog.arrays().build_dir / layout.CATALOG_DB)
    yield db
    db.close()

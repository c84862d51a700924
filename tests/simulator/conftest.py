"""The demo build's catalog.sqlite, which `make test` builds first (as tests/actions does)."""
from __future__ import annotations

import pytest

from benchmarks.simulator.catalog import ShopCatalog
from index_artefact.layout import CATALOG_DB, current_build
from runtime.settings import Settings


@pytest.fixture(scope="session")
def catalog() -> ShopCatalog:
    settings = Settings.from_env()
    if not (settings.index_dir / "current").exists():
        pytest.fail(f"no index at {settings.index_dir}; run `make index` (make test builds it first)")
    return ShopCatalog(current_build(settings.index_dir) / CATALOG_DB)

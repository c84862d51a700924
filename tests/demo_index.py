"""The real recommender over the demo index that `make test` builds (`make index` alone builds
it too), loaded once per test session for every test package that needs it."""
from __future__ import annotations

from functools import lru_cache

import pytest

from index_artefact.encoder import load_encoder
from recommender.engine import Recommender
from runtime.settings import Settings


@lru_cache(maxsize=1)
def demo_recommender() -> Recommender:
    settings = Settings.from_env()
    if not (settings.index_dir / "current").exists():
        pytest.fail(f"no index at {settings.index_dir}; run `make index` (make test builds it first)")
    return Recommender.from_index(settings.index_dir, load_encoder(settings.model_path, settings.model_sha256))

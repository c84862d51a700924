"""Shared fixtures: a local PKI standing in for Amazon's, and a verifier that trusts it."""
from __future__ import annotations

import pytest

from tests.voice.certificates import AlexaPki, FakeCertFetcher, pem
from tests.voice.envelopes import SKILL_ID
from voice_skill.verification import AlexaRequestVerifier


@pytest.fixture(scope="session")
def pki() -> AlexaPki:
    return AlexaPki.create()


@pytest.fixture
def make_verifier(pki):
    """`make_verifier(chain_pem=None, roots=None, clock=None)`: the genuine chain and root by default."""

    def make(chain_pem: bytes | None = None, roots=None, **kwargs) -> AlexaRequestVerifier:
        fetcher = FakeCertFetcher(pem(pki.leaf) if chain_pem is None else chain_pem)
        return AlexaRequestVerifier([SKILL_ID], trusted_roots=roots or [pki.root], cert_fetcher=fetcher, **kwargs)

    return make

"""Alexa request verification: genuine requests pass; forged, stale, tampered and
wrong-skill requests are refused with the right status (never a 500)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes

from tests.voice.certificates import AlexaPki, make_leaf, make_root, pem, sign
from voice_skill.verification import AlexaRequestVerifier, VerificationError, normalise_cert_url

CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
SKILL_ID = "amzn1.ask.skill.omnishop-test"


@pytest.fixture(scope="module")
def pki():
    return AlexaPki.create()


def envelope(timestamp: datetime | None = None, skill_id: str = SKILL_ID) -> bytes:
    stamp = (timestamp or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return json.dumps({
        "version": "1.0",
        "session": {"new": True, "sessionId": "s1", "application": {"applicationId": skill_id}, "user": {"userId": "u1"}},
        "context": {"System": {"application": {"applicationId": skill_id}, "user": {"userId": "u1"}}},
        "request": {"type": "LaunchRequest", "requestId": "r1", "timestamp": stamp, "locale": "en-US"},
    }).encode()


def verifier(pki, chain_pem: bytes | None = None, roots=None) -> AlexaRequestVerifier:
    served = chain_pem if chain_pem is not None else pem(pki.leaf)
    return AlexaRequestVerifier(frozenset({SKILL_ID}), trusted_roots=roots or [pki.root], fetch=lambda url: served)


def headers(pki, body: bytes, url: str = CERT_URL, key=None) -> dict:
    return {"SignatureCertChainUrl": url, "Signature-256": sign(key or pki.leaf_key, body)}


def status_of(check) -> int:
    with pytest.raises(VerificationError) as refused:
        check()
    return refused.value.status


def test_genuine_request_is_accepted(pki):
    body = envelope()
    assert verifier(pki).verify(headers(pki, body), body)["request"]["type"] == "LaunchRequest"


def test_legacy_sha1_signature_is_accepted_when_no_sha256(pki):
    body = envelope()
    sent = {"SignatureCertChainUrl": CERT_URL, "Signature": sign(pki.leaf_key, body, hashes.SHA1())}
    assert verifier(pki).verify(sent, body)


def test_tampered_body_is_refused(pki):
    body = envelope()
    sent = headers(pki, body)
    assert status_of(lambda: verifier(pki).verify(sent, body.replace(b"LaunchRequest", b"IntentRequest"))) == 401


def test_signature_by_another_key_is_refused(pki):
    other_key, _ = make_root("Someone else")
    body = envelope()
    assert status_of(lambda: verifier(pki).verify(headers(pki, body, key=other_key), body)) == 401


@pytest.mark.parametrize("url", [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../invalid.path/cert.pem",
])
def test_certificate_urls_outside_amazons_rules_are_refused(pki, url):
    body = envelope()
    assert status_of(lambda: verifier(pki).verify(headers(pki, body, url=url), body)) == 400


@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
])
def test_certificate_urls_within_amazons_rules_are_accepted(url):
    assert normalise_cert_url(url).startswith("https://s3.amazonaws.com/echo.api/")


def test_expired_leaf_is_refused(pki):
    key, leaf = make_leaf(pki.root_key, pki.root, days_valid=10,
                          not_before=datetime.now(timezone.utc) - timedelta(days=30))
    body = envelope()
    assert status_of(lambda: verifier(pki, pem(leaf)).verify(headers(pki, body, key=key), body)) == 401


def test_leaf_for_another_name_is_refused(pki):
    key, leaf = make_leaf(pki.root_key, pki.root, dns_name="evil.example.com")
    body = envelope()
    assert status_of(lambda: verifier(pki, pem(leaf)).verify(headers(pki, body, key=key), body)) == 401


def test_chain_to_an_untrusted_root_is_refused(pki):
    rogue_root_key, rogue_root = make_root("Rogue Root")
    key, leaf = make_leaf(rogue_root_key, rogue_root)
    body = envelope()
    assert status_of(lambda: verifier(pki, pem(leaf, rogue_root)).verify(headers(pki, body, key=key), body)) == 401


@pytest.mark.parametrize("age_s", [151, -151, 3600])
def test_stale_or_future_timestamps_are_refused(pki, age_s):
    body = envelope(datetime.now(timezone.utc) - timedelta(seconds=age_s))
    assert status_of(lambda: verifier(pki).verify(headers(pki, body), body)) == 400


def test_timestamp_within_150_seconds_is_accepted(pki):
    body = envelope(datetime.now(timezone.utc) - timedelta(seconds=120))
    assert verifier(pki).verify(headers(pki, body), body)


def test_request_for_another_skill_is_refused(pki):
    body = envelope(skill_id="amzn1.ask.skill.someone-else")
    assert status_of(lambda: verifier(pki).verify(headers(pki, body), body)) == 403


@pytest.mark.parametrize("sent", [{}, {"SignatureCertChainUrl": CERT_URL}, {"Signature-256": "abc"}])
def test_missing_headers_are_refused(pki, sent):
    body = envelope()
    assert status_of(lambda: verifier(pki).verify(sent, body)) == 400


def test_malformed_body_is_refused(pki):
    assert status_of(lambda: verifier(pki).verify(headers(pki, b"{not json"), b"{not json")) == 400


def test_unreachable_certificate_is_refused(pki):
    def broken(url):
        raise ConnectionError("no route")

    checker = AlexaRequestVerifier(frozenset({SKILL_ID}), trusted_roots=[pki.root], fetch=broken)
    body = envelope()
    assert status_of(lambda: checker.verify(headers(pki, body), body)) == 401

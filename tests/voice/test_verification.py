"""Alexa request verification: genuine requests pass; forged, stale, tampered and
wrong-skill requests are refused with the documented status (never a 500)."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives import hashes

from tests.voice.certificates import CERT_URL, FakeCertFetcher, make_leaf, make_root, pem, sign, signed_headers
from tests.voice.conftest import SKILL_ID
from voice_skill.verification import AlexaRequestVerifier, SavedChainFetcher, VerificationError, verifier_from_settings
from runtime.settings import Settings


def envelope(timestamp: datetime | None = None, skill_id: str = SKILL_ID, in_context: bool = True) -> bytes:
    stamp = (timestamp or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    application = {"applicationId": skill_id}
    return json.dumps({
        "version": "1.0",
        "session": {"new": True, "sessionId": "s1", "application": application, "user": {"userId": "u1"}},
        "context": {"System": {"user": {"userId": "u1"}, **({"application": application} if in_context else {})}},
        "request": {"type": "LaunchRequest", "requestId": "r1", "timestamp": stamp, "locale": "en-US"},
    }).encode()


def refusal(verifier: AlexaRequestVerifier, headers: dict, body: bytes) -> int:
    with pytest.raises(VerificationError) as refused:
        verifier.verify(headers, body)
    return refused.value.status


def test_genuine_request_is_accepted_and_parsed(pki, make_verifier):
    body = envelope()
    assert make_verifier().verify(signed_headers(pki.leaf_key, body), body)["request"]["type"] == "LaunchRequest"


def test_header_names_are_matched_case_insensitively(pki, make_verifier):
    body = envelope()
    sent = {name.lower(): value for name, value in signed_headers(pki.leaf_key, body).items()}
    assert make_verifier().verify(sent, body)


def test_application_id_falls_back_to_the_session(pki, make_verifier):
    body = envelope(in_context=False)
    assert make_verifier().verify(signed_headers(pki.leaf_key, body), body)


def test_legacy_sha1_signature_is_used_only_without_sha256(pki, make_verifier):
    body = envelope()
    legacy = {"SignatureCertChainUrl": CERT_URL, "Signature": sign(pki.leaf_key, body, hashes.SHA1())}
    assert make_verifier().verify(legacy, body)
    assert refusal(make_verifier(), {**legacy, "Signature-256": sign(pki.leaf_key, b"other")}, body) == 401


def test_tampered_body_is_refused(pki, make_verifier):
    body = envelope()
    assert refusal(make_verifier(), signed_headers(pki.leaf_key, body), body.replace(b"r1", b"r2")) == 401


def test_signature_by_another_key_is_refused(pki, make_verifier):
    other_key, _ = make_root("Someone else")
    body = envelope()
    assert refusal(make_verifier(), signed_headers(other_key, body), body) == 401


def test_signature_that_is_not_base64_is_refused(pki, make_verifier):
    body = envelope()
    assert refusal(make_verifier(), {"SignatureCertChainUrl": CERT_URL, "Signature-256": "not base64!"}, body) == 401


@pytest.mark.parametrize("url", [
    "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://notamazon.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com.evil.com/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
    "https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
])
def test_certificate_urls_outside_amazons_rules_are_refused(pki, make_verifier, url):
    body = envelope()
    assert refusal(make_verifier(), signed_headers(pki.leaf_key, body, url=url), body) == 401


@pytest.mark.parametrize("url", [
    CERT_URL,
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com:443/echo.api/../echo.api/echo-api-cert.pem",
])
def test_certificate_urls_within_amazons_rules_are_accepted(pki, make_verifier, url):
    body = envelope()
    assert make_verifier().verify(signed_headers(pki.leaf_key, body, url=url), body)


def test_certificate_chain_is_fetched_once_per_url(pki):
    fetcher = FakeCertFetcher(pem(pki.leaf))
    verifier = AlexaRequestVerifier([SKILL_ID], trusted_roots=[pki.root], cert_fetcher=fetcher)
    for _ in range(3):
        body = envelope()
        verifier.verify(signed_headers(pki.leaf_key, body), body)
    assert fetcher.fetched == [CERT_URL]


def test_expired_leaf_is_refused(pki, make_verifier):
    key, leaf = make_leaf(pki.root_key, pki.root, days_valid=10, not_before=datetime.now(timezone.utc) - timedelta(days=30))
    body = envelope()
    assert refusal(make_verifier(pem(leaf)), signed_headers(key, body), body) == 401


def test_cached_leaf_is_refused_once_it_expires(pki, make_verifier):
    later = datetime.now(timezone.utc) + timedelta(days=400)
    verifier = make_verifier(clock=later.timestamp)
    body = envelope(later)
    assert refusal(verifier, signed_headers(pki.leaf_key, body), body) == 401


@pytest.mark.parametrize("dns_name", [None, "evil.example.com"])
def test_leaf_without_the_alexa_name_is_refused(pki, make_verifier, dns_name):
    key, leaf = make_leaf(pki.root_key, pki.root, dns_name=dns_name)
    body = envelope()
    assert refusal(make_verifier(pem(leaf)), signed_headers(key, body), body) == 401


def test_chain_to_an_untrusted_root_is_refused(pki, make_verifier):
    rogue_key, rogue_root = make_root("Rogue Root")
    key, leaf = make_leaf(rogue_key, rogue_root)
    body = envelope()
    assert refusal(make_verifier(pem(leaf, rogue_root)), signed_headers(key, body), body) == 401


def test_unreachable_certificate_is_refused(pki, make_verifier):
    body = envelope()
    url = "https://s3.amazonaws.com/echo.api/missing.pem"
    assert refusal(make_verifier(), signed_headers(pki.leaf_key, body, url=url), body) == 401


@pytest.mark.parametrize("age_s", [152, -152, 3600])
def test_stale_or_future_timestamps_are_refused(pki, make_verifier, age_s):
    # Two seconds past the 150-second limit: the envelope's timestamp has whole seconds, so
    # writing it drops up to one (a request 151 s in the future could read as 150.2 s).
    body = envelope(datetime.now(timezone.utc) - timedelta(seconds=age_s))
    assert refusal(make_verifier(), signed_headers(pki.leaf_key, body), body) == 400


@pytest.mark.parametrize("age_s", [145, -145])
def test_timestamps_within_150_seconds_are_accepted(pki, make_verifier, age_s):
    body = envelope(datetime.now(timezone.utc) - timedelta(seconds=age_s))
    assert make_verifier().verify(signed_headers(pki.leaf_key, body), body)


def test_request_for_another_skill_is_refused(pki, make_verifier):
    body = envelope(skill_id="amzn1.ask.skill.someone-else")
    assert refusal(make_verifier(), signed_headers(pki.leaf_key, body), body) == 403


@pytest.mark.parametrize("sent", [{}, {"SignatureCertChainUrl": CERT_URL}, {"Signature-256": "abc"}])
def test_missing_headers_are_refused(make_verifier, sent):
    assert refusal(make_verifier(), sent, envelope()) == 400


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[]", b'{"request": "x"}', b'{"version": "1.0"}'])
def test_malformed_bodies_are_refused(pki, make_verifier, body):
    assert refusal(make_verifier(), signed_headers(pki.leaf_key, body), body) == 400


def test_verification_is_off_only_when_explicitly_configured(caplog):
    caplog.set_level(logging.WARNING)
    assert verifier_from_settings(Settings.from_env({"OMNISHOP_ALEXA_VERIFY": "0"}).voice) is None
    assert "verification is OFF" in caplog.text
    verifier = verifier_from_settings(Settings.from_env({"OMNISHOP_ALEXA_APP_IDS": f"{SKILL_ID}, amzn1.ask.skill.other"}).voice)
    assert verifier.application_ids == {SKILL_ID, "amzn1.ask.skill.other"}


def test_saved_chains_and_a_test_root_are_configured_by_environment_only(pki, tmp_path, caplog):
    """What the end-to-end tests use: the test root trusted and its chain saved under its URL's name."""
    (tmp_path / "roots.pem").write_bytes(pem(pki.root))
    (tmp_path / "echo-api-cert.pem").write_bytes(pem(pki.leaf))
    caplog.set_level(logging.WARNING)
    verifier = verifier_from_settings(Settings.from_env({"OMNISHOP_ALEXA_APP_IDS": SKILL_ID, "OMNISHOP_ALEXA_CERT_DIR": str(tmp_path),
                                          "OMNISHOP_ALEXA_TRUSTED_ROOTS": str(tmp_path / "roots.pem")}).voice)
    assert "OMNISHOP_ALEXA_TRUSTED_ROOTS" in caplog.text, "replacing the trust store is logged"
    body = envelope()
    assert verifier.verify(signed_headers(pki.leaf_key, body), body)["request"]["requestId"] == "r1"
    by_default = verifier_from_settings(Settings.from_env({"OMNISHOP_ALEXA_APP_IDS": SKILL_ID, "OMNISHOP_ALEXA_CERT_DIR": str(tmp_path)}).voice)
    assert refusal(by_default, signed_headers(pki.leaf_key, body), body) == 401, "the OS store does not trust the test root"


def test_a_chain_not_saved_is_fetched_from_its_url(pki, tmp_path):
    fetched = FakeCertFetcher(pem(pki.leaf), url=CERT_URL.replace("echo-api-cert", "other-cert"))
    chain = SavedChainFetcher(tmp_path, fallback=fetched)(CERT_URL.replace("echo-api-cert", "other-cert"))
    assert chain == pem(pki.leaf) and fetched.fetched == [CERT_URL.replace("echo-api-cert", "other-cert")]

"""Verify that a request really comes from Alexa, for this skill, just now.

Amazon's rules for skills hosted as web services: the `SignatureCertChainUrl` must point at
`https://s3.amazonaws.com/echo.api/...`; the certificate chain it serves must be valid now,
chain to a trusted root and name `echo-api.amazon.com`; the `Signature-256` header must be
the leaf key's RSA-SHA256 signature of the raw body; the request timestamp must be within
150 seconds; and the application id must be one of ours.

Built on `cryptography`'s X.509 path validation (`PolicyBuilder`, which also checks validity
periods and the subject alternative name) rather than the ASK SDK's `RequestVerifier`: that
module imports `certvalidator`/`oscrypto` 1.3.0, which cannot load OpenSSL 3.0.1x (its version
parser reads "3.0.19" wrongly, oscrypto#75), so even its `AbstractVerifier` interface is out
of reach. `RequestVerifier` below is the equivalent one-method interface.

Status codes: 400 for a request that is not a well-formed, signed, current Alexa envelope
(malformed body, missing headers, stale timestamp, as Amazon's docs ask), 401 when the
signature or certificate does not prove it came from Alexa, 403 when it is genuine but for
another skill. Every failure is a `VerificationError`, never a 500.
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import posixpath
import threading
import time
import warnings
from datetime import datetime, timezone
from typing import Callable, Iterable, Mapping, Protocol
from urllib.parse import urlsplit

import certifi
import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from runtime.settings import VoiceSettings

log = logging.getLogger(__name__)

ALEXA_CERT_HOST = "s3.amazonaws.com"
ALEXA_CERT_PATH_PREFIX = "/echo.api/"
ALEXA_CERT_SUBJECT = "echo-api.amazon.com"
MAX_SKEW_S = 150
SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
FETCH_TIMEOUT_S = 5


class VerificationError(Exception):
    """A refused request: `status` is the HTTP status to answer with, `reason` says why."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class RequestVerifier(Protocol):
    """What the endpoint needs from a verifier (the role of the SDK's `AbstractVerifier`)."""

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict: ...


def normalise_cert_url(url: str) -> str:
    """Apply Amazon's URL rules; return the URL to fetch or raise VerificationError(401).

    Scheme and host are compared case-insensitively, the path case-sensitively after
    resolving `..`, so `https://s3.amazonaws.com/echo.api/../evil/` is refused.
    """
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        raise VerificationError(401, "certificate URL has an invalid port") from None
    if parts.scheme.lower() != "https":
        raise VerificationError(401, "certificate URL must use https")
    if (parts.hostname or "").lower() != ALEXA_CERT_HOST:
        raise VerificationError(401, f"certificate URL host must be {ALEXA_CERT_HOST}")
    if port not in (None, 443):
        raise VerificationError(401, "certificate URL port must be 443")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(ALEXA_CERT_PATH_PREFIX):
        raise VerificationError(401, f"certificate URL path must start with {ALEXA_CERT_PATH_PREFIX}")
    return f"https://{ALEXA_CERT_HOST}{path}"


def http_fetch(url: str) -> bytes:
    response = requests.get(url, timeout=FETCH_TIMEOUT_S)
    response.raise_for_status()
    return response.content


class SavedChainFetcher:
    """Chains saved beforehand in `directory`, by the file name of their URL under `/echo.api/`
    (`https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem` -> `DIR/echo-api-cert-12.pem`);
    any other URL is fetched over HTTPS. For hosts that may not reach S3 at request time, and
    for tests. A saved chain is validated exactly like a fetched one."""

    def __init__(self, directory: str | os.PathLike, fallback: Callable[[str], bytes] = http_fetch):
        self.directory = os.fspath(directory)
        self._fallback = fallback

    def __call__(self, url: str) -> bytes:
        relative = urlsplit(url).path.removeprefix(ALEXA_CERT_PATH_PREFIX)  # already normalised
        saved = os.path.join(self.directory, *relative.split("/"))
        if os.path.isfile(saved):
            with open(saved, "rb") as handle:
                return handle.read()
        return self._fallback(url)


def system_roots(bundle: str | None = None) -> list[x509.Certificate]:
    """The roots in `bundle` (`SSL_CERT_FILE`), else the OS trust store, else certifi's bundle."""
    return load_roots(bundle or (SYSTEM_CA_BUNDLE if os.path.exists(SYSTEM_CA_BUNDLE) else certifi.where()))


def load_roots(bundle: str) -> list[x509.Certificate]:
    with open(bundle, "rb") as handle, warnings.catch_warnings():
        # Some bundles carry an old root with a non-positive serial number; it is still a root.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificates(handle.read())


class AlexaRequestVerifier:
    """Checks one request at a time; safe to share between threads.

    Amazon rotates its signing certificate under a new URL, so fetched chains are cached by
    URL for the life of the process; validity is still checked against `clock` on every request.
    """

    def __init__(self, application_ids: Iterable[str], trusted_roots: list[x509.Certificate] | None = None,
                 cert_fetcher: Callable[[str], bytes] = http_fetch, clock: Callable[[], float] = time.time,
                 max_skew_s: float = MAX_SKEW_S):
        self.application_ids = frozenset(application_ids)
        self._roots = Store(trusted_roots if trusted_roots is not None else system_roots())
        self._fetch = cert_fetcher
        self._clock = clock
        self._max_skew_s = max_skew_s
        self._chains: dict[str, list[x509.Certificate]] = {}
        self._lock = threading.Lock()

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict:
        """Return the parsed request envelope, or raise VerificationError with the status to send.

        Authenticity first (certificate, signature), then freshness and audience, so a forged
        request is always a 401 whatever else is wrong with it.
        """
        envelope = parse_envelope(body)
        sent = {name.lower(): value for name, value in headers.items()}
        cert_url, signature_256, signature_sha1 = (
            sent.get("signaturecertchainurl"), sent.get("signature-256"), sent.get("signature"))
        if not cert_url or not (signature_256 or signature_sha1):
            raise VerificationError(400, "missing SignatureCertChainUrl or Signature-256 header")
        leaf = self._verified_leaf(normalise_cert_url(cert_url))
        check_signature(leaf, body, signature_256, signature_sha1)
        self._check_timestamp(envelope["request"]["timestamp"])
        self._check_application(envelope)
        return envelope

    def _verified_leaf(self, url: str) -> x509.Certificate:
        chain = self._chain(url)
        now = datetime.fromtimestamp(self._clock(), tz=timezone.utc)
        verifier = (PolicyBuilder().store(self._roots).time(now)
                    .build_server_verifier(x509.DNSName(ALEXA_CERT_SUBJECT)))
        try:
            verifier.verify(chain[0], chain[1:])
        except ChainError as exc:
            raise VerificationError(401, f"certificate chain not trusted: {exc}") from None
        return chain[0]

    def _chain(self, url: str) -> list[x509.Certificate]:
        with self._lock:
            cached = self._chains.get(url)
        if cached is not None:
            return cached
        try:
            chain = x509.load_pem_x509_certificates(self._fetch(url))
        except Exception as exc:  # noqa: BLE001 - any fetch or parse failure refuses the request
            raise VerificationError(401, f"certificate chain could not be loaded: {exc.__class__.__name__}") from None
        with self._lock:
            self._chains[url] = chain
        return chain

    def _check_timestamp(self, timestamp: str) -> None:
        try:
            sent = datetime.fromisoformat(str(timestamp))
        except ValueError:
            raise VerificationError(400, "request timestamp is not ISO 8601") from None
        if sent.tzinfo is None:
            sent = sent.replace(tzinfo=timezone.utc)
        if abs(self._clock() - sent.timestamp()) > self._max_skew_s:
            raise VerificationError(400, f"request timestamp is more than {self._max_skew_s:.0f} s from now")

    def _check_application(self, envelope: dict) -> None:
        if application_id(envelope) not in self.application_ids:
            raise VerificationError(403, "request is for another skill")


def parse_envelope(body: bytes) -> dict:
    """The JSON envelope, if it has the fields verification reads; else VerificationError(400)."""
    try:
        envelope = json.loads(body)
        envelope["request"]["timestamp"]
    except (ValueError, KeyError, TypeError):
        raise VerificationError(400, "body is not an Alexa request envelope") from None
    return envelope


def application_id(envelope: dict) -> str | None:
    """`context.System.application.applicationId`, else the older `session.application`."""
    def field(obj, *path):
        for key in path:
            obj = obj.get(key) if isinstance(obj, dict) else None
        return obj

    return field(envelope, "context", "System", "application", "applicationId") or \
        field(envelope, "session", "application", "applicationId")


def check_signature(leaf: x509.Certificate, body: bytes, signature_256: str | None, signature_sha1: str | None) -> None:
    """RSA PKCS#1 v1.5 over the raw body: SHA-256, or the legacy SHA-1 only when no SHA-256 was sent."""
    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise VerificationError(401, "certificate key is not RSA")
    algorithm, signature = (hashes.SHA256(), signature_256) if signature_256 else (hashes.SHA1(), signature_sha1)
    try:
        key.verify(base64.b64decode(signature, validate=True), body, padding.PKCS1v15(), algorithm)
    except (InvalidSignature, binascii.Error):
        raise VerificationError(401, "signature does not match the request body") from None


def verifier_from_settings(voice: VoiceSettings) -> AlexaRequestVerifier | None:
    """The verifier for the skill ids `OMNISHOP_ALEXA_APP_IDS`, or None (with a warning, logged
    at every start) only when `OMNISHOP_ALEXA_VERIFY` is explicitly 0/false/no/off.

    `OMNISHOP_ALEXA_CERT_DIR` names a directory of saved chains (`SavedChainFetcher`).
    `OMNISHOP_ALEXA_TRUSTED_ROOTS` names a PEM file whose roots replace the OS trust store,
    for a test PKI only; it is logged as a warning because Amazon's chain then no longer verifies.
    """
    if not voice.alexa_verify:
        log.warning("Alexa request verification is OFF (OMNISHOP_ALEXA_VERIFY): anyone can post to /alexa; "
                    "for local testing only")
        return None
    if not voice.alexa_app_ids:
        log.warning("OMNISHOP_ALEXA_APP_IDS is empty: every Alexa request will be refused as another skill's (403)")
    if voice.trusted_roots:
        log.warning("Alexa certificates must chain to the roots in OMNISHOP_ALEXA_TRUSTED_ROOTS=%s, not the OS "
                    "trust store: for a test PKI only", voice.trusted_roots)
    roots = load_roots(voice.trusted_roots) if voice.trusted_roots else system_roots(voice.ssl_cert_file)
    return AlexaRequestVerifier(voice.alexa_app_ids, trusted_roots=roots,
                                cert_fetcher=SavedChainFetcher(voice.cert_dir) if voice.cert_dir else http_fetch)

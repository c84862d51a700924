"""Verify that a request really comes from Alexa, for this skill, just now.

Amazon's rules for skills hosted as web services: the `SignatureCertChainUrl` must point at
`https://s3.amazonaws.com/echo.api/...`; the certificate chain it serves must be valid now,
chain to a trusted root and name `echo-api.amazon.com`; the `Signature-256` header must be
the leaf key's RSA-SHA256 signature of the raw body; the request timestamp must be within
150 seconds; and the application id must be one of ours.

Built on `cryptography`'s X.509 path validation rather than the ASK SDK's own verifier,
whose `certvalidator`/`oscrypto` dependency cannot load this platform's OpenSSL 3.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import posixpath
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Mapping
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError as ChainError

log = logging.getLogger(__name__)

ALEXA_CERT_HOST = "s3.amazonaws.com"
ALEXA_CERT_PATH_PREFIX = "/echo.api/"
ALEXA_CERT_SUBJECT = "echo-api.amazon.com"
MAX_SKEW_S = 150
SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


class VerificationError(Exception):
    """A refused request: `status` is the HTTP status to answer with, `reason` says why."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def normalise_cert_url(url: str) -> str:
    """Apply Amazon's URL rules; return the normalised URL or raise VerificationError(400)."""
    parts = urlsplit(url.strip())
    path = posixpath.normpath(parts.path) if parts.path else ""
    if parts.path.endswith("/") and not path.endswith("/"):
        path += "/"
    if parts.scheme.lower() != "https":
        raise VerificationError(400, "certificate URL must use https")
    if (parts.hostname or "").lower() != ALEXA_CERT_HOST:
        raise VerificationError(400, f"certificate URL host must be {ALEXA_CERT_HOST}")
    if parts.port not in (None, 443):
        raise VerificationError(400, "certificate URL port must be 443")
    if not path.startswith(ALEXA_CERT_PATH_PREFIX):
        raise VerificationError(400, f"certificate URL path must start with {ALEXA_CERT_PATH_PREFIX}")
    return f"https://{ALEXA_CERT_HOST}{path}"


def http_fetch(url: str) -> bytes:
    response = requests.get(url, timeout=5)
    response.raise_for_status()
    return response.content


def system_roots() -> list[x509.Certificate]:
    bundle = os.environ.get("SSL_CERT_FILE", SYSTEM_CA_BUNDLE)
    with open(bundle, "rb") as handle, warnings.catch_warnings():
        # Some distribution bundles carry an old root with a non-positive serial number.
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        return x509.load_pem_x509_certificates(handle.read())


@dataclass
class AlexaRequestVerifier:
    application_ids: frozenset[str]
    trusted_roots: list[x509.Certificate] | None = None
    fetch: Callable[[str], bytes] = http_fetch
    clock: Callable[[], float] = time.time
    max_skew_s: float = MAX_SKEW_S

    def __post_init__(self):
        self._roots = Store(self.trusted_roots if self.trusted_roots is not None else system_roots())
        self._chains: dict[str, list[x509.Certificate]] = {}
        self._lock = threading.Lock()

    def verify(self, headers: Mapping[str, str], body: bytes) -> dict:
        """Return the parsed request envelope, or raise VerificationError with the status to send."""
        try:
            envelope = json.loads(body)
            request = envelope["request"]
            timestamp = request["timestamp"]
        except (ValueError, KeyError, TypeError):
            raise VerificationError(400, "body is not an Alexa request envelope") from None
        cert_url = headers.get("SignatureCertChainUrl")
        signature_256 = headers.get("Signature-256")
        signature_sha1 = headers.get("Signature")
        if not cert_url or not (signature_256 or signature_sha1):
            raise VerificationError(400, "missing SignatureCertChainUrl or Signature-256 header")
        self._check_application(envelope)
        self._check_timestamp(timestamp)
        leaf = self._verified_leaf(normalise_cert_url(cert_url))
        self._check_signature(leaf, body, signature_256, signature_sha1)
        return envelope

    def _check_application(self, envelope: dict) -> None:
        application = ((envelope.get("context") or {}).get("System") or {}).get("application") \
            or (envelope.get("session") or {}).get("application") or {}
        if application.get("applicationId") not in self.application_ids:
            raise VerificationError(403, "request is for another skill")

    def _check_timestamp(self, timestamp: str) -> None:
        try:
            sent = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
        except ValueError:
            raise VerificationError(400, "request timestamp is not ISO 8601") from None
        if sent.tzinfo is None:
            sent = sent.replace(tzinfo=timezone.utc)
        if abs(self.clock() - sent.timestamp()) > self.max_skew_s:
            raise VerificationError(400, f"request timestamp is more than {self.max_skew_s:.0f} s from now")

    def _verified_leaf(self, url: str) -> x509.Certificate:
        chain = self._chain(url)
        now = datetime.fromtimestamp(self.clock(), tz=timezone.utc)
        verifier = PolicyBuilder().store(self._roots).time(now).build_server_verifier(x509.DNSName(ALEXA_CERT_SUBJECT))
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
            chain = x509.load_pem_x509_certificates(self.fetch(url))
        except Exception as exc:  # noqa: BLE001 - any fetch or parse failure refuses the request
            raise VerificationError(401, f"certificate chain could not be loaded: {exc.__class__.__name__}") from None
        with self._lock:
            self._chains[url] = chain
        return chain

    @staticmethod
    def _check_signature(leaf: x509.Certificate, body: bytes, signature_256: str | None, signature_sha1: str | None) -> None:
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError(401, "certificate key is not RSA")
        algorithm, signature = (hashes.SHA256(), signature_256) if signature_256 else (hashes.SHA1(), signature_sha1)
        try:
            key.verify(base64.b64decode(signature, validate=True), body, padding.PKCS1v15(), algorithm)
        except (InvalidSignature, ValueError):
            raise VerificationError(401, "signature does not match the request body") from None


def verifier_from_env(environ: Mapping[str, str] = os.environ) -> AlexaRequestVerifier | None:
    """The verifier, unless OMNISHOP_ALEXA_VERIFY=0 explicitly turns verification off."""
    if environ.get("OMNISHOP_ALEXA_VERIFY", "1").strip().lower() in ("0", "false", "no", "off"):
        log.warning("Alexa request verification is OFF (OMNISHOP_ALEXA_VERIFY=0): for local testing only")
        return None
    ids = frozenset(i.strip() for i in environ.get("OMNISHOP_ALEXA_APP_IDS", "").split(",") if i.strip())
    if not ids:
        log.warning("OMNISHOP_ALEXA_APP_IDS is empty: every Alexa request will be refused as another skill's")
    return AlexaRequestVerifier(ids)

"""Locally generated certificates standing in for Amazon's: a root CA and an
`echo-api.amazon.com` leaf (plus the broken variants the tests need). Made at test time, so
no private key is ever committed."""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = datetime.now(timezone.utc)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_root(name: str = "Test Root CA"):
    key = _key()
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=30)).not_valid_after(NOW + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_leaf(root_key, root_cert, dns_name: str | None = "echo-api.amazon.com", days_valid: int = 365,
              not_before: datetime | None = None):
    """A server certificate signed by the root; `dns_name=None` leaves out the SAN extension."""
    key = _key()
    start = not_before or NOW - timedelta(days=1)
    builder = (x509.CertificateBuilder().subject_name(_name(dns_name or "echo-api.amazon.com"))
               .issuer_name(root_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + timedelta(days=days_valid)))
    if dns_name:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
    cert = (builder
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))
    return key, cert


def pem(*certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def sign(key, body: bytes, algorithm=None) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), algorithm or hashes.SHA256())).decode()


@dataclass
class AlexaPki:
    root_key: object
    root: x509.Certificate
    leaf_key: object
    leaf: x509.Certificate

    @classmethod
    def create(cls) -> "AlexaPki":
        root_key, root = make_root()
        leaf_key, leaf = make_leaf(root_key, root)
        return cls(root_key, root, leaf_key, leaf)


CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


class FakeCertFetcher:
    """Serves a PEM chain at Amazon's URL only (anything else is a 404), counting fetches."""

    def __init__(self, chain_pem: bytes, url: str = CERT_URL):
        self.served = {url: chain_pem}
        self.fetched: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.fetched.append(url)
        if url not in self.served:
            raise LookupError(f"404 {url}")
        return self.served[url]


def signed_headers(key, body: bytes, url: str = CERT_URL) -> dict:
    return {"SignatureCertChainUrl": url, "Signature-256": sign(key, body)}

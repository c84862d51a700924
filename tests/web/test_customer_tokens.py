"""Account-link tokens: only a current token signed with our secret names a customer."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from runtime.customer_tokens import CustomerTokens, customer_tokens_from_settings
from runtime.settings import Settings

SECRET = b"s" * 32
NOW = 1_800_000_000


def linker(now: float = NOW, secret: bytes = SECRET) -> CustomerTokens:
    return CustomerTokens(secret, clock=lambda: now)


@pytest.mark.parametrize("customer", ["cust-42", "jane.doe@example.com", "a"])
def test_a_minted_token_names_its_customer_until_it_expires(customer):
    token = linker().mint(customer, ttl_s=60)
    assert linker(NOW + 59).customer_id(token) == customer
    assert linker(NOW + 60).customer_id(token) is None


def test_a_token_signed_with_another_secret_names_nobody():
    assert linker().customer_id(linker(secret=b"t" * 32).mint("cust-42", 60)) is None


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace("cust-42", "cust-43", 1),  # someone else's customer id
    lambda t: "cust-42." + str(NOW + 10**6) + "." + t.rsplit(".", 1)[1],  # a longer life
    lambda t: t[:-2],  # a cut signature
])
def test_a_tampered_token_names_nobody(tamper):
    assert linker().customer_id(tamper(linker().mint("cust-42", 60))) is None


@pytest.mark.parametrize("token", [None, "", "opaque-oauth-token", "a.b", "cust.notanumber.sig", ".1900000000.sig"])
def test_what_is_not_a_link_token_names_nobody(token):
    assert linker().customer_id(token) is None


@pytest.mark.parametrize("customer", ["", " cust", "cust 42"])
def test_a_customer_id_that_cannot_be_read_back_is_refused(customer):
    with pytest.raises(ValueError, match="customer id"):
        linker().mint(customer, 60)


def test_a_short_secret_is_refused_at_start():
    with pytest.raises(ValueError, match="at least 32 bytes"):
        customer_tokens_from_settings(Settings.from_env({"OMNISHOP_CUSTOMER_TOKEN_SECRET": "short"}).security)


def test_linking_is_off_without_a_secret():
    assert customer_tokens_from_settings(Settings.from_env({}).security) is None


def run_cli(*args: str, secret: str | None = SECRET.decode()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OMNISHOP_CUSTOMER_TOKEN_SECRET"}
    if secret is not None:
        env["OMNISHOP_CUSTOMER_TOKEN_SECRET"] = secret
    return subprocess.run([sys.executable, "-m", "runtime.customer_tokens", *args], capture_output=True, text=True,
                          env=env, timeout=60)


def test_cli_mints_a_token_the_skill_accepts_and_checks_it():
    minted = run_cli("mint", "cust-42", "--ttl-s", "600")
    assert minted.returncode == 0, minted.stderr
    token = minted.stdout.strip()
    assert CustomerTokens(SECRET).customer_id(token) == "cust-42"
    assert run_cli("check", token).stdout.strip() == "cust-42"
    forged = run_cli("check", token, secret="x" * 32)
    assert forged.returncode == 1 and "not a valid token" in forged.stderr


def test_cli_explains_what_is_missing():
    assert "mint" in run_cli("--help").stdout
    missing = run_cli("mint", "cust-42", secret=None)
    assert missing.returncode == 2 and "OMNISHOP_CUSTOMER_TOKEN_SECRET is not set" in missing.stderr
    bad = run_cli("mint", "cust 42")
    assert bad.returncode == 2 and "whitespace" in bad.stderr

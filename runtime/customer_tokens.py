"""Who the customer is, on every channel: tokens signed by the retailer's login.

    OMNISHOP_CUSTOMER_TOKEN_SECRET=... python -m runtime.customer_tokens mint CUSTOMER_ID [--ttl-s 3600]
    OMNISHOP_CUSTOMER_TOKEN_SECRET=... python -m runtime.customer_tokens check TOKEN

Omnishop runs no login or OAuth server of its own. The retailer's login, which already knows
its customers, issues one kind of token and puts it in two places:
- the web: the `omnishop_customer` cookie on the storefront's domain, read by `/api/chat`;
- Alexa: the OAuth access token of account linking, sent as `context.System.user.accessToken`.
Both resolve to the same customer id, so a cart and orders follow the customer from the web
to the speaker and back, and neither channel trusts a customer id a client simply states.

The format is the smallest one a login can issue without a database lookup on our side:
`<customer_id>.<expiry unix seconds>.<signature>`, where the signature is the unpadded
base64url HMAC-SHA256 of `<customer_id>.<expiry>` under a secret shared with the login
(`OMNISHOP_CUSTOMER_TOKEN_SECRET`, at least 32 bytes, from the environment only). The
customer id may contain dots; the last two fields never do.

A token that is malformed, forged or expired names nobody: the shopper is a guest (and a
voice shopper is asked to link again at checkout), never refused outright.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import logging
import sys
import time
from typing import Callable

from runtime.settings import SecuritySettings, Settings

log = logging.getLogger(__name__)

SECRET_ENV = "OMNISHOP_CUSTOMER_TOKEN_SECRET"
DEFAULT_TTL_S = 3600
MIN_SECRET_BYTES = 32


class CustomerTokens:
    """Mints and checks tokens signed with `secret`; `customer_id(token)` is None unless valid now."""

    def __init__(self, secret: bytes, clock: Callable[[], float] = time.time):
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the customer-token secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._clock = clock

    def _signature(self, customer_id: str, expiry: int) -> str:
        digest = hmac.new(self._secret, f"{customer_id}.{expiry}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def mint(self, customer_id: str, ttl_s: int) -> str:
        """A token for `customer_id` valid for `ttl_s` seconds: what the retailer's login issues."""
        if not customer_id or customer_id != customer_id.strip() or any(c.isspace() for c in customer_id):
            raise ValueError("customer id must be non-empty and contain no whitespace")
        expiry = int(self._clock()) + ttl_s
        return f"{customer_id}.{expiry}.{self._signature(customer_id, expiry)}"

    def customer_id(self, token: str | None) -> str | None:
        if not token:
            return None
        parts = token.rsplit(".", 2)
        if len(parts) != 3 or not parts[0] or not parts[1].isdigit():
            log.info("customer token is malformed")
            return None
        customer_id, expiry_text, signature = parts
        if not hmac.compare_digest(signature, self._signature(customer_id, int(expiry_text))):
            log.warning("customer token has a bad signature")
            return None
        if int(expiry_text) <= self._clock():
            log.info("customer token has expired")
            return None
        return customer_id


def customer_tokens_from_settings(security: SecuritySettings) -> CustomerTokens | None:
    """The tokens for `OMNISHOP_CUSTOMER_TOKEN_SECRET`, or None when no login is connected (then
    every web shopper is a guest and every voice shopper shops under their Alexa user id)."""
    secret = security.customer_token_secret
    if not secret:
        log.info("%s is not set: no customer logins (web guests only, Alexa account linking off)", SECRET_ENV)
        return None
    return CustomerTokens(secret.encode())


def main(argv: list[str] | None = None) -> int:
    """For tests and demos, and as the reference for the retailer's login."""
    parser = argparse.ArgumentParser(prog="python -m runtime.customer_tokens", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    mint = commands.add_parser("mint", help="print a token for a customer id")
    mint.add_argument("customer_id", help="the retailer's id of the signed-in customer")
    mint.add_argument("--ttl-s", type=int, default=DEFAULT_TTL_S, help=f"seconds the token is valid (default {DEFAULT_TTL_S})")
    check = commands.add_parser("check", help="print the customer id of a valid token; exit 1 if it is not valid")
    check.add_argument("token")
    args = parser.parse_args(argv)
    secret = Settings.from_env().security.customer_token_secret
    if not secret:
        parser.error(f"{SECRET_ENV} is not set")
    try:
        tokens = CustomerTokens(secret.encode())
        if args.command == "mint":
            if args.ttl_s <= 0:
                parser.error("--ttl-s must be positive")
            print(tokens.mint(args.customer_id, args.ttl_s))
            return 0
    except ValueError as exc:
        parser.error(str(exc))
    customer_id = tokens.customer_id(args.token)
    if customer_id is None:
        print("not a valid token: malformed, forged or expired", file=sys.stderr)
        return 1
    print(customer_id)
    return 0


if __name__ == "__main__":
    sys.exit(main())

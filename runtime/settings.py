"""Every setting of every Omnishop process, read from the environment in this one place.

`Settings.from_env()` is called once per process (the web app, the action server, Rasa's
custom components, the CLIs) and the result is passed down; no other module of the product
reads `os.environ`. Each setting is declared once, with its variable, default and meaning,
and the README's settings table is generated from these declarations:

    python -m runtime.settings          # prints the Markdown table

Stdlib only: this module is imported from both the Python 3.10 (Rasa) and 3.11 venvs.
"""
from __future__ import annotations

import dataclasses
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

REPO_ROOT = Path(__file__).resolve().parent.parent
OFF_VALUES = ("0", "false", "no", "off")


class SettingError(ValueError):
    """A variable is set to something its setting cannot take; the message names both."""


def _path(text: str) -> Path:
    return Path(text).expanduser().resolve()


def _flag(text: str) -> bool:
    return text.strip().lower() not in OFF_VALUES


def _names(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def setting(env: str, doc: str, default: Any = None, parse: Callable[[str], Any] = str, shown: str | None = None):
    """A dataclass field read from `env`; an empty variable counts as unset. `shown` is the
    default as the README prints it, where the value itself depends on other settings."""
    return field(default=default, metadata={"env": env, "doc": doc, "parse": parse, "shown": shown})


def _read(cls, environ: Mapping[str, str], **given):
    """An instance of the settings dataclass `cls` with every declared field read from environ."""
    values = {}
    for spec in dataclasses.fields(cls):
        if spec.name in given or "env" not in spec.metadata:
            continue
        raw = environ.get(spec.metadata["env"], "")
        if raw.strip():
            try:
                values[spec.name] = spec.metadata["parse"](raw.strip())
            except ValueError as exc:
                raise SettingError(f"{spec.metadata['env']}={raw!r}: {exc}") from None
    return cls(**values, **given)


@dataclass(frozen=True)
class WebSettings:
    """The web app: who may call it, how fast, and behind what."""

    allowed_origins: tuple[str, ...] = setting(
        "OMNISHOP_ALLOWED_ORIGINS", "comma-separated storefront origins allowed to call `/api/*` (`*` for any)",
        ("*",), _names, "`*`")
    proxy_hops: int = setting("OMNISHOP_PROXY_HOPS", "proxies in front of the web app (client address from "
                              "X-Forwarded-For); 0 when it faces the shoppers directly", 0, int)
    rate_limit_sender: str = setting("OMNISHOP_RATE_LIMIT_SENDER", "turns per seconds for one conversation, "
                                     "`TURNS/SECONDS` or `off`", "60/60")
    rate_limit_client: str = setting("OMNISHOP_RATE_LIMIT_CLIENT", "turns per seconds for one client address, "
                                     "`TURNS/SECONDS` or `off`", "600/60")
    rasa_token: str | None = setting("RASA_TOKEN", "token of Rasa's HTTP API (`rasa run --auth-token`)")


@dataclass(frozen=True)
class VoiceSettings:
    """The Alexa skill endpoint."""

    alexa_app_ids: tuple[str, ...] = setting(
        "OMNISHOP_ALEXA_APP_IDS", "comma-separated Alexa skill ids whose requests are accepted", (), _names, "empty")
    alexa_verify: bool = setting("OMNISHOP_ALEXA_VERIFY", "`0` turns Alexa request verification off (local "
                                 "testing only; logs a warning)", True, _flag, "`1`")
    voice_code: str | None = setting("OMNISHOP_ALEXA_VOICE_CODE", "four-digit code Alexa asks for after \"yes\" "
                                     "before placing an order", None, str, "unset (off)")
    cert_dir: str | None = setting("OMNISHOP_ALEXA_CERT_DIR", "directory of saved Alexa signing chains, served "
                                   "instead of fetching them")
    trusted_roots: str | None = setting("OMNISHOP_ALEXA_TRUSTED_ROOTS", "PEM file of roots replacing the trust "
                                        "store (a test PKI only)")
    ssl_cert_file: str | None = setting("SSL_CERT_FILE", "the trust store Alexa's chains must reach",
                                        None, str, "the OS bundle, else certifi's")


@dataclass(frozen=True)
class SecuritySettings:
    customer_token_secret: str | None = setting(
        "OMNISHOP_CUSTOMER_TOKEN_SECRET", "HMAC secret shared with the retailer's login, which signs the web's "
        "`omnishop_customer` cookie and Alexa's account-link token (`runtime/customer_tokens.py`); unset: "
        "web shoppers are guests, Alexa linking is off", None, str, "unset (no logins)")


@dataclass(frozen=True)
class SearchSettings:
    """The recommender and the index it searches."""

    row_scorer: str = setting("OMNISHOP_ROW_SCORER", "`native` (the C kernel when built) or `torch` for the "
                              "exact plan's scoring", "native")
    hnsw_min_products: int = setting("OMNISHOP_HNSW_MIN_PRODUCTS", "catalogs with at least this many products "
                                     "get an HNSW graph index; smaller ones an exact (flat) index", 50_000, int)
    exact_max_candidates: int = setting("OMNISHOP_EXACT_MAX_CANDIDATES", "up to this many allowed products a "
                                        "search scores every candidate exactly; above it (and from 1.5% of the "
                                        "catalog) it walks the HNSW graph", 5_000, int)
    c_compiler: str | None = setting("CC", "C compiler for the native row scorer", None, str, "`cc`, else `gcc`")


def _locale(text: str) -> str:
    """A CLDR locale name ("en_IN", "de-DE" -> "de_DE"); whether CLDR has it is checked where the
    shop's money is formatted (`contract.money`), this module being stdlib only."""
    if not re.fullmatch(r"[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*", text):
        raise ValueError("expected a locale such as en_IN, de_DE or fr_FR")
    return text.replace("-", "_")


@dataclass(frozen=True)
class ShopSettings:
    """What the shop's replies look like; its currency is the catalog's own (recorded at index build)."""

    locale: str | None = setting("OMNISHOP_LOCALE", "how prices are written (`en_IN`: \"₹1,49,999.00\", `de_DE`: "
                                 "\"12,50 €\"); unset: the default of the catalog's currency (USD `en_US`, GBP "
                                 "`en_GB`, EUR `en_IE`, INR `en_IN`, JPY `en_JP`, KRW `ko_KR`: `contract/money.py`)",
                                 None, _locale, "from the catalog's currency")


@dataclass(frozen=True)
class LogSettings:
    format: str = setting("OMNISHOP_LOG_FORMAT", "`text`, or `json` for one JSON object a line", "text")
    level: str = setting("OMNISHOP_LOG_LEVEL", "log level of the Python processes", "INFO")


@dataclass(frozen=True)
class Settings:
    """Where things live, how the processes find each other, and each front end's knobs.

    Paths and services are top-level fields (every process needs them); the knobs of one
    concern are grouped (`web`, `voice`, `security`, `search`, `shop`, `logs`)."""

    # paths
    var_dir: Path = setting("OMNISHOP_VAR", "where the index and SQLite files live", REPO_ROOT / "var", _path, "`var/`")
    index_dir: Path | None = setting("OMNISHOP_INDEX", "index directory (`current` points at the live build)",
                                     None, _path, "`$OMNISHOP_VAR/index`")
    catalog_path: Path = setting("CATALOG", "catalog file for `make run` / `catalog_index`",
                                 REPO_ROOT / "data" / "demo_catalog" / "merchant_feed.tsv", _path,
                                 "`data/demo_catalog/merchant_feed.tsv`")
    model_path: str | None = setting("OMNISHOP_MODEL_PATH", "another sentence-transformers model, by path",
                                     None, str, "the pinned MiniLM")
    model_sha256: str | None = setting("OMNISHOP_MODEL_SHA256", "SHA-256 of that model's `model.safetensors`",
                                       None, str, "the official MiniLM's")
    # services
    database_url: str | None = setting("DATABASE_URL", "shop database; a `postgresql://` URL also moves Rasa's "
                                       "tracker store there", None, str, "`sqlite:///var/omnishop.db`")
    rasa_url: str = setting("RASA_URL", "the Rasa server, for the web app", "http://localhost:5005",
                            lambda text: text.rstrip("/"), "`http://localhost:5005`")
    action_server_url: str = setting("ACTION_SERVER_URL", "the action server's webhook, for Rasa",
                                     "http://localhost:5055/webhook", str, "`http://localhost:5055/webhook`")
    web_host: str = setting("WEB_HOST", "interface the web app binds", "127.0.0.1")
    web_port: int = setting("WEB_PORT", "web app port", 8000, int)
    redis_url: str | None = setting("REDIS_URL", "Rasa's lock store when several Rasa servers share "
                                    "conversations (`redis://host:port/db`)", None, str, "unset (in-process)")
    preload: bool = setting("OMNISHOP_PRELOAD", "`1`: the action server loads the model and index at start-up, "
                            "not on the first turn (the supervisor sets it)", False, _flag, "`0`")
    # grouped by concern
    web: WebSettings = field(default_factory=WebSettings)
    voice: VoiceSettings = field(default_factory=VoiceSettings)
    security: SecuritySettings = field(default_factory=SecuritySettings)
    search: SearchSettings = field(default_factory=SearchSettings)
    shop: ShopSettings = field(default_factory=ShopSettings)
    logs: LogSettings = field(default_factory=LogSettings)

    def __post_init__(self):
        # Defaults that follow another setting.
        if self.index_dir is None:
            object.__setattr__(self, "index_dir", self.var_dir / "index")
        if self.database_url is None:
            object.__setattr__(self, "database_url", f"sqlite:///{self.var_dir / 'omnishop.db'}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Every setting from `environ` (the process environment by default); raises
        SettingError naming the variable when a value cannot be parsed."""
        environ = os.environ if environ is None else environ
        return _read(cls, environ, **{name: _read(group, environ) for name, group in _GROUPS.items()})


_GROUPS = {"web": WebSettings, "voice": VoiceSettings, "security": SecuritySettings,
           "search": SearchSettings, "shop": ShopSettings, "logs": LogSettings}


def inherited_environment() -> dict[str, str]:
    """The environment a child process starts from (the supervisor adds the settings it hands down)."""
    return dict(os.environ)


def settings_table() -> str:
    """The Markdown table of every setting, as the README shows it."""
    lines = ["| variable | group | default | meaning |", "|---|---|---|---|"]
    for group, cls in [("", Settings), *_GROUPS.items()]:
        for spec in dataclasses.fields(cls):
            if "env" not in spec.metadata:
                continue
            shown = spec.metadata["shown"] or ("unset" if spec.default is None else f"`{spec.default}`")
            lines.append(f"| `{spec.metadata['env']}` | {group or _top_group(spec.name)} | {shown} | "
                         f"{spec.metadata['doc']} |")
    return "\n".join(lines)


def _top_group(name: str) -> str:
    return "paths" if name in ("var_dir", "index_dir", "catalog_path", "model_path", "model_sha256") else "services"


if __name__ == "__main__":
    sys.stdout.write(settings_table() + "\n")

"""docker-compose.yml starts each process the way runtime/processes.py does (docker cannot run
here, so the file is checked against the specs the tests do run)."""
from __future__ import annotations

import dataclasses
import re

import yaml

from runtime.processes import REDIS_LOCK_STORE, lock_store_env, process_specs, tracker_store_env
from runtime.settings import REPO_ROOT, Settings

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
# Values that differ by design between local processes and containers.
LOCAL_ONLY = {"--port", "--interface", "--model", "--credentials", "--endpoints"}


def flags_and_module(argv: list[str]) -> tuple[str, list[str]]:
    """The module run (`-m X`) and its flag names, without the interpreter path or flag values."""
    module = argv[argv.index("-m") + 1]
    return module, [a for a in argv if a.startswith("--")]


def local_specs() -> dict:
    return {spec.name: spec for spec in process_specs(Settings.from_env())}


def test_each_service_runs_the_same_module_with_the_same_flags():
    specs = local_specs()
    for service, name in [("rasa-a", "rasa"), ("rasa-b", "rasa"), ("actions-a", "actions"),
                          ("actions-b", "actions"), ("web", "web")]:
        module, flags = flags_and_module(SERVICES[service]["command"])
        local_module, local_flags = flags_and_module(specs[name].argv)
        assert module == local_module, service
        assert set(local_flags) <= set(flags) | {"--host", "--port"}, service
        assert set(flags) - set(local_flags) <= LOCAL_ONLY | {"--host"}, service


def test_rasa_services_set_every_variable_endpoints_yml_reads():
    wanted = set(re.findall(r"\$\{(\w+)\}", (REPO_ROOT / "bot" / "endpoints.yml").read_text()))
    local = {**tracker_store_env(Settings.from_env()), **lock_store_env(Settings.from_env())}
    assert wanted <= set(local) | {"ACTION_SERVER_URL"}, "processes.py must set what endpoints.yml reads"
    for service in ("rasa-a", "rasa-b"):
        environment = SERVICES[service]["environment"]
        assert wanted <= set(environment), f"{service} misses {wanted - set(environment)}"
        assert environment["LOCK_STORE_TYPE"] == REDIS_LOCK_STORE and environment["TRACKER_DB_DIALECT"] == "postgresql"


def test_each_rasa_talks_to_its_own_action_server_and_the_index_is_read_only():
    assert SERVICES["rasa-a"]["environment"]["ACTION_SERVER_URL"] == "http://actions-a:5055/webhook"
    assert SERVICES["rasa-b"]["environment"]["ACTION_SERVER_URL"] == "http://actions-b:5055/webhook"
    for service in ("rasa-a", "rasa-b", "actions-a", "actions-b"):
        assert "index:/index:ro" in SERVICES[service]["volumes"], service
        assert SERVICES[service]["environment"]["OMNISHOP_INDEX"] == "/index"


def test_lock_store_env_reads_redis_url():
    settings = Settings.from_env()
    redis = lock_store_env(dataclasses.replace(settings, redis_url="redis://cache.internal:6380/3"))
    assert redis == {"LOCK_STORE_TYPE": REDIS_LOCK_STORE, "LOCK_STORE_HOST": "cache.internal",
                     "LOCK_STORE_PORT": "6380", "LOCK_STORE_DB": "3"}
    assert lock_store_env(dataclasses.replace(settings, redis_url=None))["LOCK_STORE_TYPE"] == "in_memory"

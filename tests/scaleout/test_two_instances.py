"""Two Rasa servers and two action servers share conversations through PostgreSQL and Redis.

The topology of docs/scale-out.md and docker-compose.yml as plain local processes: each Rasa
server has its own action server; the shop database and Rasa's tracker store are one
PostgreSQL database (a scratch one per run), Rasa's lock store is Redis. A shopper whose
turns land on alternating instances (as behind a round-robin load balancer) keeps the
search results, cart and pending checkout, and the order is placed once.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from runtime.processes import RASA_MODEL, process_specs
from runtime.settings import Settings
from tests.e2e.conftest import (RunningAssistant, TestSupervisor, custom_payloads, free_port, private_index,
                                start_on_fresh_ports)
from tests.e2e.test_order_conversation import add_first_result
from tests.infrastructure import (POSTGRES_ADMIN_URL, redis_clients_on, redis_url_with_free_db,
                                  scratch_postgres_database)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory):
    """Rasa A + actions A and Rasa B + actions B on one PostgreSQL database and one Redis db."""
    if not RASA_MODEL.exists():
        pytest.fail(f"no trained model at {RASA_MODEL}; run `make train`")
    redis_url = redis_url_with_free_db()
    with scratch_postgres_database() as database_url:
        var = tmp_path_factory.mktemp("scaleout")
        settings = dataclasses.replace(Settings.from_env(), var_dir=var, index_dir=private_index(var),
                                       database_url=database_url, redis_url=redis_url, action_server_url="")

        def start() -> tuple[TestSupervisor, dict[str, str]]:
            specs, urls = [], {}
            for instance in ("a", "b"):
                rasa_port = free_port()
                rasa, actions, _web = process_specs(settings, rasa_port, free_port(), free_port())
                specs += [dataclasses.replace(actions, name=f"actions-{instance}"),
                          dataclasses.replace(rasa, name=f"rasa-{instance}")]
                urls[instance] = f"http://127.0.0.1:{rasa_port}"
            supervisor = TestSupervisor(specs)
            # One instance at a time: the first creates the shop schema and the tracker table,
            # the second finds them (as `depends_on: service_healthy` orders it in compose).
            for instance in ("a", "b"):
                supervisor.start_healthy(timeout_s=300, names=[f"actions-{instance}", f"rasa-{instance}"],
                                         what=f"instance {instance}")
                supervisor.warm_up(urls[instance])
            return supervisor, urls

        supervisor, urls = start_on_fresh_ports(start, "the two instances")
        try:
            yield {name: RunningAssistant(url, "", settings) for name, url in urls.items()}, redis_url
        finally:
            supervisor.stop()


def test_conversation_moves_between_instances_turn_by_turn(two_instances):
    instances, redis_url = two_instances
    a, b = instances["a"], instances["b"]
    sender = f"scaleout-{uuid.uuid4().hex[:12]}"

    products = custom_payloads(a.say(sender, "men's running shoes under $100 in size 10"), "product_list")[0]["products"]
    # "the first one" is resolved on B from the results A stored in the shared tracker.
    cart = custom_payloads(add_first_result(b, sender), "cart")[0]
    assert [item["id"] for item in cart["items"]] == [products[0]["id"]]

    summary = a.say(sender, "checkout")
    assert any("Shall I place it" in (m.get("text") or "") for m in summary), summary
    placed = custom_payloads(b.say(sender, "yes"), "order")
    assert placed and placed[0]["status"] == "placed" and placed[0]["total"] == products[0]["price"]

    again = custom_payloads(a.say(sender, "/affirm"), "order")  # a confirmation replayed on the other server
    assert not again or again[0]["order_id"] == placed[0]["order_id"]

    engine = create_engine(a.settings.database_url)
    with engine.connect() as connection:
        orders = connection.execute(text("SELECT reference FROM orders WHERE owner = :o"), {"o": f"sender:{sender}"}).all()
        cart_lines = connection.execute(text("SELECT count(*) FROM cart_lines WHERE owner = :o"),
                                        {"o": f"sender:{sender}"}).scalar()
    engine.dispose()
    assert [row.reference for row in orders] == [placed[0]["order_id"]]
    assert cart_lines == 0

    # Each server reads the one tracker: B sees every turn, including those A handled.
    tracker = requests.get(f"{b.rasa_url}/conversations/{sender}/tracker", timeout=30).json()
    said = [event["text"] for event in tracker["events"] if event["event"] == "user"]
    assert said[0] == "men's running shoes under $100 in size 10" and "checkout" in said and "/affirm" in said
    # Both Rasa servers took their conversation locks in Redis, not in their own memory.
    assert redis_clients_on(redis_url) >= 2


def test_concurrent_turns_of_one_conversation_on_both_servers_are_serialised(two_instances):
    """Two turns of one conversation sent at once to A and B both land, one after the other."""
    instances, _ = two_instances
    a, b = instances["a"], instances["b"]
    sender = f"scaleout-{uuid.uuid4().hex[:12]}"
    a.say(sender, "show me backpacks")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda pair: pair[0].say(sender, pair[1]),
                                [(a, "add the first one to my cart"), (b, "show me my cart")]))
    assert all(answers), answers
    tracker = requests.get(f"{a.rasa_url}/conversations/{sender}/tracker", timeout=30).json()
    kinds = [event["event"] for event in tracker["events"]]
    # Serialised turns: every user message is followed by its own actions before the next one.
    user_positions = [i for i, kind in enumerate(kinds) if kind == "user"]
    assert len(user_positions) == 3
    for first, second in zip(user_positions, user_positions[1:]):
        assert "action" in kinds[first + 1:second], kinds


def turn(instance: RunningAssistant, sender: str, message: str) -> tuple[int, list]:
    response = requests.post(f"{instance.rasa_url}/webhooks/rest/webhook", timeout=60,
                             json={"sender": sender, "message": message})
    return response.status_code, response.json() if response.status_code == 200 else []


def test_postgresql_briefly_unavailable_then_both_instances_recover_without_restart(two_instances):
    """Connections refused and the open ones cut (a failover or restart of PostgreSQL): turns
    fail meanwhile, nothing is lost, and both servers work again by themselves once it is back."""
    instances, _ = two_instances
    a, b = instances["a"], instances["b"]
    sender = f"scaleout-{uuid.uuid4().hex[:12]}"
    a.say(sender, "show me backpacks")
    cart = custom_payloads(add_first_result(b, sender), "cart")[0]
    database = make_url(a.settings.database_url).database
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
        connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
                           {"d": database})
    try:
        status, messages = turn(a, sender, "show me my cart")
        assert status != 200 or not custom_payloads(messages, "cart")  # it cannot have read the cart
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    for instance in (a, b):
        # Pools notice their cut connections on use: allow one failed turn each, then it must work.
        answers = [turn(instance, sender, "show me my cart") for _ in range(2)]
        carts = [custom_payloads(messages, "cart") for status, messages in answers if status == 200]
        assert any(carts), answers
        assert [c for c in carts if c][-1][0]["items"] == cart["items"]

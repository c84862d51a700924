"""Data going away under a shopper: the shop database locked for a while, the catalog index
swapped and corrupted while searches are running."""
from __future__ import annotations

import shutil
import sqlite3
import threading
import uuid

import pytest

from actions.base import SORRY
from index_artefact import layout as artefact
from web.chat import NO_ANSWER_TEXT
from tests.e2e.conftest import custom_payloads
from tests.faults.conftest import texts
from tests.faults.test_process_faults import search_and_add

pytestmark = pytest.mark.e2e


def test_database_briefly_unavailable_gives_a_clear_message_and_recovers_by_itself(stack, sender):
    product = search_and_add(stack, sender)
    lock = stack.lock_database()
    try:
        during = stack.chat(sender, "show me my cart")
        # The failing action apologises itself (actions.base.ShopAction); nothing is half-done.
        assert during.status_code == 200 and texts(during) == [SORRY]
        added = stack.chat(sender, f'/add_to_cart{{"product_id": "{product["id"]}"}}')
        assert texts(added) == [SORRY]
    finally:
        lock.rollback()
        lock.close()
    # No restart: the action server's next connection simply works again.
    cart = custom_payloads(stack.chat(sender, "show me my cart").json(), "cart")
    assert cart and [(i["id"], i["quantity"]) for i in cart[0]["items"]] == [(product["id"], 1)]
    assert stack.cart(sender) == [(product["id"], 1)]  # the failed add did not half-happen


def copy_build(index_dir, name: str):
    live = artefact.current_build(index_dir)
    copy = index_dir / "builds" / name
    shutil.copytree(live, copy)
    return live, copy


class SearchTraffic:
    """Another shopper searching in a loop while the index changes under it."""

    def __init__(self, stack):
        self.stack, self.outcomes, self._stop = stack, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        sender = f"traffic-{uuid.uuid4().hex[:8]}"
        while not self._stop.is_set():
            response = self.stack.chat(sender, "show me backpacks")
            if response.status_code != 200:
                self.outcomes.append(f"http {response.status_code}")
            elif custom_payloads(response.json(), "product_list"):
                self.outcomes.append("products")
            else:
                self.outcomes.append(" / ".join(texts(response)))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self._stop.set()
        self._thread.join(timeout=120)


def test_index_swapped_during_traffic_serves_the_new_build_without_errors(stack, sender):
    index_dir = stack.assistant.settings.index_dir
    product = custom_payloads(stack.chat(sender, "show me backpacks").json(), "product_list")[0]["products"][0]
    old, new = copy_build(index_dir, f"swap-{uuid.uuid4().hex[:6]}")
    with sqlite3.connect(new / artefact.CATALOG_DB) as db:  # the new build has a new price for it
        db.execute("UPDATE variants SET price = 1.23, sale_price = NULL WHERE id = ?", (product["id"],))
    with SearchTraffic(stack) as traffic:
        stack.chat(sender, "hi")
        artefact.publish(index_dir, new)
        after = custom_payloads(stack.chat(sender, "show me backpacks").json(), "product_list")[0]["products"]
        stack.chat(sender, "hi")
    try:
        assert traffic.outcomes and set(traffic.outcomes) == {"products"}, traffic.outcomes
        assert next(p for p in after if p["id"] == product["id"])["price"] == 1.23
    finally:
        artefact.publish(index_dir, old)


def test_corrupt_index_fails_clearly_and_recovers_when_a_good_build_is_published(stack, sender):
    index_dir = stack.assistant.settings.index_dir
    product = search_and_add(stack, sender)
    good, bad = copy_build(index_dir, f"corrupt-{uuid.uuid4().hex[:6]}")
    (bad / artefact.FAISS_INDEX).write_bytes(b"\x00garbage" * 64)  # a half-copied or damaged build
    (bad / artefact.EMBEDDINGS).write_bytes(b"not numpy")
    with SearchTraffic(stack) as traffic:
        artefact.publish(index_dir, bad)
        try:
            broken = stack.chat(sender, "show me backpacks")
            assert broken.status_code == 200 and texts(broken) == [SORRY]
        finally:
            artefact.publish(index_dir, good)
        recovered = custom_payloads(stack.chat(sender, "show me backpacks").json(), "product_list")
    assert recovered and recovered[0]["products"]
    # Every turn during the fault got products or the clear apology; none got an error or silence.
    assert set(traffic.outcomes) <= {"products", SORRY, NO_ANSWER_TEXT}, traffic.outcomes
    cart = custom_payloads(stack.chat(sender, "show me my cart").json(), "cart")
    assert cart and cart[0]["items"][0]["id"] == product["id"]  # the cart survived the bad index

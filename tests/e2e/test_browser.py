"""The widget in a real browser (Debian's Chromium via playwright-core) against the real
services, one test per scenario in tests/browser/*.mjs. Screenshots of every step go to
test-artifacts/browser/<scenario>-<step>.png.

Each scenario prints a `RESULT {json}` line; the tests here add what only the server can
tell (the Rasa tracker) and put catalog data in place before the browser looks for it.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests

from data.demo_catalog.generate_feed import COLUMNS
from runtime.settings import REPO_ROOT
from tests.infrastructure import require

pytestmark = pytest.mark.e2e
BROWSER_TESTS = REPO_ROOT / "tests" / "browser"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCENARIO_TIMEOUT_S = 420


@pytest.fixture(scope="session")
def browser_tests() -> Path:
    """tests/browser with its pinned node modules installed (never a browser download).

    First in every test's arguments, so a missing Chromium, Node.js or npm package skips the
    test (fails it in CI: `tests.infrastructure.require`) before the services are started."""
    require(Path(CHROMIUM).exists(), "Debian's chromium is not installed", "apt-get install chromium")
    require(shutil.which("node") and shutil.which("npm"), "node and npm are needed for the browser tests",
            "install Node.js 18+ with npm (apt-get install nodejs npm)")
    if not all((BROWSER_TESTS / "node_modules" / m / "package.json").exists() for m in ("playwright-core", "axe-core")):
        installed = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=BROWSER_TESTS, capture_output=True,
                                   text=True, timeout=300, env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})
        require(installed.returncode == 0,
                f"`npm ci` in {BROWSER_TESTS} failed (offline?): {installed.stdout[-200:]}{installed.stderr[-400:]}",
                f"give npm access to its registry, or run `npm ci` in {BROWSER_TESTS} once online")
    return BROWSER_TESTS


def run_scenario(browser_tests: Path, assistant, name: str, *args: str) -> dict:
    """Run tests/browser/<name>.mjs; fail with its output unless every check passed."""
    result = subprocess.run(["node", f"{name}.mjs", assistant.web_url, str(ARTIFACTS), *args], cwd=browser_tests,
                            capture_output=True, text=True, timeout=SCENARIO_TIMEOUT_S,
                            env={**os.environ, "CHROMIUM": CHROMIUM})
    print(result.stdout, result.stderr, sep="\n")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    return json.loads(lines[-1][len("RESULT "):])


def user_turns(assistant, sender: str) -> list[str]:
    """What the dialogue core recorded the shopper saying in one widget conversation."""
    tracker = requests.get(f"{assistant.rasa_url}/conversations/web:{sender}/tracker",
                           params={"include_events": "ALL"}, timeout=30).json()
    return [event.get("text") for event in tracker["events"] if event["event"] == "user"]


def screenshot(name: str) -> Path:
    path = ARTIFACTS / f"{name}.png"
    assert path.stat().st_size > 10_000, f"{path} is missing or blank"
    return path


def test_search_add_to_cart_and_check_out(browser_tests, assistant):
    result = run_scenario(browser_tests, assistant, "shop_flow")
    assert result["order_id"].startswith("OS-")
    for step in ("shop-02-product-carousel", "shop-03-cart", "shop-04-order-confirmation"):
        screenshot(step)


def test_markup_in_catalog_and_input_shows_as_text(browser_tests, assistant, tmp_path):
    """A product whose title, brand and description are HTML/script payloads is added to the
    live index with `catalog_index update`, found in the browser, and shown literally."""
    product = {"title": "<img src=x onerror=alert(1)>", "brand": "<script>alert('brand')</script>",
               "description": "<b onmouseover=alert('description')>Bold</b> <iframe src=javascript:alert(2)>",
               "price": "9.99 USD", "query": "watches under $15"}
    template = next(line.split("\t") for line in (REPO_ROOT / "data/demo_catalog/merchant_feed.tsv").open()
                    if "\tAccessories > Watches\t" in line)
    record = dict(zip(COLUMNS, template)) | {
        "id": "XSS-WATCH-1", "item_group_id": "G-XSS-1", "title": product["title"], "brand": product["brand"],
        "description": product["description"], "price": product["price"], "sale_price": "",
        "mpn": "XSS-1", "gtin": "", "product_rating": "1.0", "product_review_count": "1"}
    feed = tmp_path / "markup-product.tsv"
    feed.write_text("\t".join(COLUMNS) + "\n" + "\t".join(record[c] for c in COLUMNS) + "\n")
    update = subprocess.run([sys.executable, "-m", "catalog_index", "update", "--catalog", str(feed), "--index",
                             str(assistant.settings.index_dir), "--no-progress"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert update.returncode == 0 and "products added: 1" in update.stdout, update.stdout + update.stderr

    result = run_scenario(browser_tests, assistant, "xss", json.dumps(product))
    assert result["injected"] == []
    screenshot("xss-01-markup-in-catalog")


def test_conversation_survives_reload_and_navigation_and_resets(browser_tests, assistant):
    result = run_scenario(browser_tests, assistant, "session")
    old = user_turns(assistant, result["sender"])
    assert old[0] == "show me hoodies in any size" and old[-1] == "/restart", old  # reset ended the old conversation
    assert user_turns(assistant, result["new_sender"]) == ["show my cart"]


def test_signed_in_customer_keeps_one_cart_across_browsers(browser_tests, assistant):
    login = assistant.login_cookie(f"c-browser-{uuid.uuid4().hex[:8]}")
    forged = login.rsplit(".", 1)[0] + ".forged-signature"
    run_scenario(browser_tests, assistant, "identity", login, forged)


def test_retry_after_network_error_answers_once(browser_tests, assistant):
    result = run_scenario(browser_tests, assistant, "retry")
    said = user_turns(assistant, result["sender"])
    for case in result["cases"]:  # the dialogue saw each message once, the lost response included
        assert said.count(case["text"]) == 1, (case, said)


def test_keyboard_only(browser_tests, assistant):
    run_scenario(browser_tests, assistant, "keyboard")


def test_axe_finds_no_serious_violations_and_messages_are_announced(browser_tests, assistant):
    result = run_scenario(browser_tests, assistant, "accessibility")
    assert set(result["audits"]) == {"closed", "open", "products", "cart", "mobile"}
    assert result["live_region_additions"] >= 2


def test_mobile_layout_at_375px(browser_tests, assistant):
    result = run_scenario(browser_tests, assistant, "mobile")
    assert result["products"]["page_scroll_width"] <= 375
    screenshot("mobile-02-products")


def test_no_layout_shift_on_the_host_page(browser_tests, assistant):
    result = run_scenario(browser_tests, assistant, "layout_shift")
    assert result["cls"] < 0.01 and result["all_shifts_total"] < 0.01

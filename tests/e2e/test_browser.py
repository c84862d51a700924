"""The widget in a real browser (Debian's Chromium via playwright-core) against the real
services: constrained search, add to cart, checkout, reload. Screenshots go to
test-artifacts/browser/."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parents[1] / "browser"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
def test_shopper_flow_in_the_browser(assistant):
    if not (HERE / "node_modules" / "playwright-core").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True,
                       env={**os.environ, "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"})
    result = subprocess.run(["node", "widget_flow.mjs", assistant.web_url, str(ARTIFACTS)], cwd=HERE,
                            capture_output=True, text=True, timeout=300, env={**os.environ, "CHROMIUM": CHROMIUM})
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    for shot in ("02-product-carousel.png", "03-cart.png", "04-order-confirmation.png", "05-after-reload.png"):
        assert (ARTIFACTS / shot).stat().st_size > 10_000, shot

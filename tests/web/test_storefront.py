"""The demo storefront: several pages, each embedding the widget with its one script tag, with
departments taken from the live catalog's vocabulary."""
from __future__ import annotations

import json
import re

import pytest

from tests.demo_categories import DEMO_PRODUCT_TYPES
from web import create_app


class NoRasa:
    """The storefront pages never talk to the dialogue."""

    def send(self, sender, message, metadata=None):
        raise AssertionError("a storefront page talked to the dialogue")


def live_index(root, categories, colors=()):
    """An index directory whose live build has only a vocabulary (all the storefront reads)."""
    build = root / "builds" / "b1"
    build.mkdir(parents=True)
    (build / "vocabulary.json").write_text(json.dumps({"brands": [], "categories": list(categories),
                                                       "colors": list(colors), "sizes": []}))
    (root / "current").symlink_to("builds/b1")
    return root


def app_on(monkeypatch, index_dir):
    monkeypatch.setenv("OMNISHOP_INDEX", str(index_dir))
    return create_app(rasa_client=NoRasa()).test_client()


@pytest.fixture
def client(tmp_path, monkeypatch):
    """The storefront over the demo catalog's vocabulary."""
    return app_on(monkeypatch, live_index(tmp_path / "index", DEMO_PRODUCT_TYPES, ["black", "blue", "red"]))


@pytest.mark.parametrize("path", ["/", "/shop/shoes", "/shop/clothing", "/shop/accessories"])
def test_every_page_embeds_the_widget_and_links_the_others(client, path):
    page = client.get(path).get_data(as_text=True)
    assert page.count('<script src="/widget.js"') == 1 and page.count("<script") == 1
    for other in ("/shop/shoes", "/shop/clothing", "/shop/accessories"):
        assert f'href="{other}"' in page


def test_a_department_page_shows_its_own_tiles_and_marks_itself_current(client):
    page = client.get("/shop/accessories").get_data(as_text=True)
    assert "Backpacks" in page and "Running shoes" not in page
    assert '<a href="/shop/accessories" aria-current="page">' in page


def test_an_unknown_department_is_a_404(client):
    assert client.get("/shop/<script>").status_code == 404


def test_departments_are_the_catalogs_top_level_categories_largest_first(client):
    page = client.get("/").get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Departments">(.*?)</nav>', page, re.S).group(1)
    assert re.findall(r'>([^<]+)</a>', nav) == ["Clothing", "Shoes", "Accessories"]  # 10, 7 and 5 categories
    clothing = client.get("/shop/clothing").get_data(as_text=True)
    assert all(name in clothing for name in ("T-shirts", "Rain jackets", "Down jackets", "Jeans"))
    assert "<p>Jackets</p>" in clothing  # the level between department and category


def test_demo_pictures_only_where_the_demo_images_draw_one(client):
    for path in ("/", "/shop/shoes", "/shop/clothing", "/shop/accessories"):
        for image in re.findall(r'<img src="([^"]+)"', client.get(path).get_data(as_text=True)):
            assert client.get(image).status_code == 200, image


def test_another_retailers_catalog_shows_its_own_departments_and_no_demo_words(tmp_path, monkeypatch):
    categories = ["Kitchen > Knives", "Kitchen > Pans", "Kitchen > Kettles", "Garden > Seeds",
                  "Garden > Tools > Spades", "Garden > Tools > Rakes",
                  "Gifts > Cards & Wraps <img src=x onerror=alert(1)"]
    client = app_on(monkeypatch, live_index(tmp_path / "index", categories))
    home = client.get("/").get_data(as_text=True)
    assert all(f'href="/shop/{slug}"' in home for slug in ("kitchen", "garden", "gifts"))
    for demo_word in ("Shoes", "Clothing", "Accessories", "running", "jacket", "/demo-images/"):
        assert demo_word.lower() not in home.lower(), demo_word
    assert "“kettles”" in home  # things to try, from the catalog's own categories
    assert "<img src=x" not in home and "Cards &amp; wraps &lt;img src=x" in home  # names are escaped
    garden = client.get("/shop/garden").get_data(as_text=True)
    assert "Spades" in garden and "<p>Tools</p>" in garden and "Knives" not in garden
    assert client.get("/shop/shoes").status_code == 404


def test_without_a_built_index_the_pages_still_carry_the_widget(tmp_path, monkeypatch):
    client = app_on(monkeypatch, tmp_path / "no-index")
    home = client.get("/")
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert page.count('<script src="/widget.js"') == 1 and "being prepared" in page and "/shop/" not in page
    assert client.get("/shop/shoes").status_code == 404

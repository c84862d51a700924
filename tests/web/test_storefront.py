"""The demo storefront: several pages, each embedding the widget with its one script tag."""
from __future__ import annotations

import pytest

from web import create_app


class NoRasa:
    """The storefront pages never talk to the dialogue."""

    def send(self, sender, message, metadata=None):
        raise AssertionError("a storefront page talked to the dialogue")


@pytest.fixture
def client():
    return create_app(rasa_client=NoRasa()).test_client()


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

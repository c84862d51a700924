"""Demo product pictures: every category and colour of the demo feed draws; anything else is a 404."""
from __future__ import annotations

import csv
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask import Flask

from web import demo_images

FEED = Path(__file__).resolve().parents[2] / "data" / "demo_catalog" / "merchant_feed.tsv"


@pytest.fixture(scope="module")
def client():
    app = Flask(__name__)
    app.register_blueprint(demo_images.bp)
    return app.test_client()


def test_every_image_the_demo_feed_links_to_is_a_valid_svg(client):
    with FEED.open(encoding="utf-8") as handle:
        links = {row["image_link"] for row in csv.DictReader(handle, delimiter="\t")}
    assert len(links) > 100
    for link in sorted(links):
        response = client.get(link)
        assert response.status_code == 200, link
        assert response.mimetype == "image/svg+xml"
        assert ElementTree.fromstring(response.data).tag.endswith("svg")


@pytest.mark.parametrize("name", ["Running-Shoes-black", "running-shoes-chartreuse", "x" * 80 + "-black",
                                  "running_shoes-black", "running-shoes-black%3Cscript%3E", "-black"])
def test_other_names_are_not_found(client, name):
    assert client.get(f"/demo-images/{name}.svg").status_code == 404

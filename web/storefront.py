"""The demo storefront: a home page and one page per department, each embedding the widget
with nothing but its script tag (so the widget is shown on a real multi-page shop: the
conversation has to survive navigating between pages)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for

bp = Blueprint("storefront", __name__)

# department slug -> (heading, [(tile title, tile caption, demo image name)])
DEPARTMENTS = {
    "shoes": ("Shoes", [("Running shoes", "Daily trainers to race day", "running-shoes-blue"),
                        ("Hiking boots", "Waterproof and grippy", "hiking-boots-brown"),
                        ("Sandals", "For warm days", "sandals-beige")]),
    "clothing": ("Clothing", [("Rain jackets", "Stay dry out there", "rain-jackets-green"),
                              ("Hoodies", "Soft, warm, everyday", "hoodies-grey"),
                              ("Jeans", "Every waist and inseam", "jeans-blue")]),
    "accessories": ("Accessories", [("Backpacks", "For commutes and trails", "backpacks-black"),
                                    ("Watches", "Sport and classic", "watches-gold")]),
}


def render(heading: str, slugs: list[str], current: str | None):
    tiles = [tile for slug in slugs for tile in DEPARTMENTS[slug][1]]
    nav = [(slug, title, url_for("storefront.department", slug=slug)) for slug, (title, _) in DEPARTMENTS.items()]
    return render_template("storefront.html", heading=heading, tiles=tiles, nav=nav, current=current,
                           home=url_for("storefront.home"), widget_src=url_for("widget_script"))


@bp.get("/")
def home():
    return render("Popular categories", list(DEPARTMENTS), None)


@bp.get("/shop/<slug>")
def department(slug: str):
    if slug not in DEPARTMENTS:
        abort(404)
    return render(DEPARTMENTS[slug][0], [slug], slug)

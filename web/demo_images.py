"""Placeholder product pictures for the demo catalog, drawn as SVG on request.

The demo feed's `image_link`s are `/demo-images/<category-slug>-<colour>.svg`, so the demo
works offline. Names are validated strictly and never echoed into the SVG.
"""
from __future__ import annotations

import re

from flask import Blueprint, Response, abort

bp = Blueprint("demo_images", __name__)

FILLS = {"black": "#222", "white": "#f4f4f4", "grey": "#8a8f98", "blue": "#2b59c3", "red": "#c0392b",
         "green": "#3c8d40", "yellow": "#e8c547", "orange": "#e67e22", "pink": "#e89ab4", "purple": "#7d4cb3",
         "brown": "#8b5a2b", "beige": "#d9c7a7", "gold": "#c9a227", "multicolor": "url(#rainbow)"}
# One simple silhouette per kind of product (paths on a 100x100 canvas).
SHAPES = {
    "shoe": "M8 62 Q10 44 26 42 L44 40 Q52 52 66 54 L88 58 Q96 60 94 70 L92 74 L10 74 Z",
    "boot": "M20 20 L44 20 L46 52 L80 58 Q94 62 92 74 L18 74 Z",
    "sandal": "M10 70 L90 70 L90 76 L10 76 Z M24 70 L40 50 L56 70 M50 70 L66 52 L80 70",
    "top": "M30 18 L42 14 Q50 22 58 14 L70 18 L88 34 L78 44 L70 38 L70 86 L30 86 L30 38 L22 44 L12 34 Z",
    "dress": "M40 12 L60 12 L62 34 L80 88 L20 88 L38 34 Z",
    "bottoms": "M28 12 L72 12 L76 88 L56 88 L50 40 L44 88 L24 88 Z",
    "socks": "M36 10 L56 10 L56 60 L74 70 Q82 80 70 86 L44 80 Q36 76 36 66 Z",
    "bag": "M26 30 Q26 14 50 14 Q74 14 74 30 L78 88 L22 88 Z",
    "hat": "M28 56 Q28 24 50 24 Q72 24 72 56 Z M14 56 L86 56 L86 64 L14 64 Z",
    "watch": "M40 8 L60 8 L60 30 A22 22 0 1 1 40 30 Z",
    "glasses": "M10 42 L90 42 L90 48 L84 48 A14 12 0 1 1 56 48 L44 48 A14 12 0 1 1 16 48 L10 48 Z",
    "belt": "M6 44 L94 44 L94 58 L6 58 Z M60 40 L74 40 L74 62 L60 62 Z",
    "tag": "M20 20 L60 20 L86 50 L60 80 L20 80 Z",
}
SLUG_SHAPES = {
    "running-shoes": "shoe", "trail-running-shoes": "shoe", "sneakers": "shoe", "dress-shoes": "shoe",
    "hiking-boots": "boot", "boots": "boot", "sandals": "sandal", "rain-jackets": "top", "down-jackets": "top",
    "fleece-jackets": "top", "t-shirts": "top", "hoodies": "top", "dresses": "dress", "jeans": "bottoms",
    "leggings": "bottoms", "shorts": "bottoms", "socks": "socks", "backpacks": "bag", "hats": "hat",
    "watches": "watch", "sunglasses": "glasses", "belts": "belt",
}
NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<colour>[a-z]+)$")
RAINBOW = ('<defs><linearGradient id="rainbow"><stop offset="0" stop-color="#e74c3c"/><stop offset=".5" '
           'stop-color="#f1c40f"/><stop offset="1" stop-color="#3498db"/></linearGradient></defs>')


@bp.get("/demo-images/<name>.svg")
def demo_image(name: str):
    match = NAME.match(name)
    if not match or match.group("colour") not in FILLS:
        abort(404)
    shape = SHAPES[SLUG_SHAPES.get(match.group("slug"), "tag")]
    fill = FILLS[match.group("colour")]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="200" height="200">{RAINBOW}'
           f'<rect width="100" height="100" fill="#eef1f5"/><path d="{shape}" fill="{fill}" stroke="#555" '
           f'stroke-width="1.2" fill-rule="evenodd"/></svg>')
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response

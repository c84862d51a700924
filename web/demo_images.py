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
    "sandal": "M8 68 Q8 62 16 62 L86 63 Q95 64 94 70 L93 74 L12 74 Q8 73 8 68 Z "
              "M26 62 L38 42 L47 42 L37 62 Z M50 62 L60 40 L69 40 L61 62 Z M60 40 L82 63 L74 63 L58 46 Z",
    "shirt": "M30 18 L42 14 Q50 22 58 14 L70 18 L88 34 L78 44 L70 38 L70 86 L30 86 L30 38 L22 44 L12 34 Z",
    "jacket": "M30 14 L44 12 L50 24 L56 12 L70 14 L84 30 L90 84 L78 86 L72 44 L72 88 L28 88 L28 44 L22 86 L10 84 "
              "L16 30 Z M49 26 L51 26 L51 86 L49 86 Z",
    "hoodie": "M36 20 Q36 6 50 6 Q64 6 64 20 L72 22 L88 38 L80 48 L72 42 L72 88 L28 88 L28 42 L20 48 L12 38 L28 22 Z "
              "M42 20 Q42 12 50 12 Q58 12 58 20 L54 28 L46 28 Z",
    "dress": "M40 12 L60 12 L62 34 L80 88 L20 88 L38 34 Z",
    "trousers": "M28 12 L72 12 L76 88 L56 88 L50 40 L44 88 L24 88 Z",
    "shorts": "M24 28 L76 28 L82 68 L56 70 L50 48 L44 70 L18 68 Z",
    "socks": "M36 10 L56 10 L56 60 L74 70 Q82 80 70 86 L44 80 Q36 76 36 66 Z",
    "bag": "M26 30 Q26 14 50 14 Q74 14 74 30 L78 88 L22 88 Z M34 30 Q34 20 50 20 Q66 20 66 30 Z "
           "M34 54 L66 54 L66 70 L34 70 Z",
    "hat": "M28 56 Q28 24 50 24 Q72 24 72 56 Z M14 56 L86 56 L86 64 L14 64 Z",
    "watch": "M40 8 L60 8 L60 30 A22 22 0 1 1 40 30 Z M40 72 L60 72 L60 92 L40 92 Z",
    "glasses": "M10 42 L90 42 L90 48 L84 48 A14 12 0 1 1 56 48 L44 48 A14 12 0 1 1 16 48 L10 48 Z",
    "belt": "M6 44 L94 44 L94 58 L6 58 Z M60 40 L74 40 L74 62 L60 62 Z",
    "tag": "M20 20 L60 20 L86 50 L60 80 L20 80 Z M28 44 A6 6 0 1 0 28 56 A6 6 0 1 0 28 44 Z",
}
SLUG_SHAPES = {
    "running-shoes": "shoe", "trail-running-shoes": "shoe", "sneakers": "shoe", "dress-shoes": "shoe",
    "hiking-boots": "boot", "boots": "boot", "sandals": "sandal", "rain-jackets": "jacket", "down-jackets": "jacket",
    "fleece-jackets": "jacket", "t-shirts": "shirt", "hoodies": "hoodie", "dresses": "dress", "jeans": "trousers",
    "leggings": "trousers", "shorts": "shorts", "socks": "socks", "backpacks": "bag", "hats": "hat",
    "watches": "watch", "sunglasses": "glasses", "belts": "belt",
}
NAME = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-(?P<colour>[a-z]+)")
RAINBOW = ('<defs><linearGradient id="rainbow"><stop offset="0" stop-color="#e74c3c"/><stop offset=".5" '
           'stop-color="#f1c40f"/><stop offset="1" stop-color="#3498db"/></linearGradient></defs>')


@bp.get("/demo-images/<name>.svg")
def demo_image(name: str):
    match = NAME.fullmatch(name) if len(name) <= 64 else None
    if not match or match.group("colour") not in FILLS:
        abort(404)
    shape = SHAPES[SLUG_SHAPES.get(match.group("slug"), "tag")]
    fill = FILLS[match.group("colour")]
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="200" height="200">{RAINBOW}'
           f'<rect width="100" height="100" fill="#eef1f5"/><path d="{shape}" fill="{fill}" stroke="#555" '
           f'stroke-width="1.2" fill-rule="evenodd"/></svg>')
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=86400, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # An SVG opened directly must not run anything, whatever it contained.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response

"""The demo storefront: a home page and one page per department, each embedding the widget
with nothing but its script tag (so the widget is shown on a real multi-page shop: the
conversation has to survive navigating between pages).

Departments come from the live catalog's vocabulary (the index's `current/vocabulary.json`):
a department is a top-level category ("Shoes"), its tiles the categories under it ("Running
Shoes"), so the shop shows whatever catalog is loaded. A tile gets a picture only where the
demo images draw one for that category (web/demo_images.py).
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, url_for

from index_artefact import layout
from web.demo_images import SLUG_SHAPES

log = logging.getLogger(__name__)
bp = Blueprint("storefront", __name__)

MAX_DEPARTMENTS = 8  # in the navigation, the departments with the most categories
HOME_TILES_PER_DEPARTMENT = 3
TILE_COLOURS = ("blue", "green", "brown", "grey", "red", "beige", "black", "gold")  # demo pictures' fills, in turn
EXAMPLE_COLOURS = ("blue", "black", "red", "green", "grey", "white")  # for "Things to try", if the catalog has one


@dataclass(frozen=True)
class Tile:
    title: str
    caption: str
    image: str | None  # a /demo-images/ path, or None


@dataclass(frozen=True)
class Department:
    slug: str
    title: str
    tiles: tuple[Tile, ...]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:].lower()


@lru_cache(maxsize=8)
def departments_from(categories: tuple[str, ...]) -> tuple[Department, ...]:
    """Category paths ("Clothing > Jackets > Rain Jackets") -> departments, the largest (most
    categories) first, each with one tile per category path under it."""
    grouped: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for path in categories:
        levels = [level.strip() for level in path.split(">") if level.strip()]
        slug = slugify(levels[0]) if levels else ""
        if not slug:
            continue
        _, leaves = grouped.setdefault(slug, (_sentence_case(levels[0]), []))
        leaves.append((levels[-1], " › ".join(levels[1:-1])))  # caption: the levels in between, if any
    departments = []
    for slug, (title, leaves) in grouped.items():
        tiles = []
        for leaf, caption in sorted(set(leaves), key=lambda item: (item[1].lower(), item[0].lower())):
            image_slug = slugify(leaf)
            image = (f"/demo-images/{image_slug}-{TILE_COLOURS[len(tiles) % len(TILE_COLOURS)]}.svg"
                     if image_slug in SLUG_SHAPES else None)
            tiles.append(Tile(_sentence_case(leaf), caption, image))
        departments.append(Department(slug, title, tuple(tiles)))
    departments.sort(key=lambda d: (-len(d.tiles), d.title.lower()))
    return tuple(departments[:MAX_DEPARTMENTS])


@lru_cache(maxsize=4)
def _read_vocabulary(path: str, modified_ns: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return (tuple(c for c in data.get("categories", []) if isinstance(c, str)),
            tuple(c.lower() for c in data.get("colors", []) if isinstance(c, str)))


def live_vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(category paths, colours) of the live build; empty while no index is built or readable."""
    index_dir = current_app.extensions["omnishop.settings"].index_dir
    path = index_dir / "current" / layout.VOCABULARY
    try:
        resolved = layout.current_build(index_dir) / layout.VOCABULARY
        return _read_vocabulary(str(resolved), resolved.stat().st_mtime_ns)
    except FileNotFoundError:  # no index built yet (IndexNotBuilt is one too)
        return (), ()
    except (OSError, ValueError, AttributeError):
        log.warning("storefront: unreadable catalog vocabulary at %s", path, exc_info=True)
        return (), ()


def examples(departments: tuple[Department, ...], colours: tuple[str, ...]) -> list[str]:
    """Things to try, made of the catalog's own category names."""
    tried = [d.tiles[0].title.lower() for d in departments[:2] if d.tiles]
    colour = next((c for c in EXAMPLE_COLOURS if c in colours), None)
    if tried and colour:
        tried[0] = f"{tried[0]} in {colour}"
    return tried + ["something like this but cheaper"]


def render(heading: str, departments: tuple[Department, ...], shown: list[Tile], current: str | None,
           colours: tuple[str, ...]):
    nav = [(d.slug, d.title, url_for("storefront.department", slug=d.slug)) for d in departments]
    return render_template("storefront.html", heading=heading, tiles=shown, nav=nav, current=current,
                           examples=examples(departments, colours), home=url_for("storefront.home"),
                           widget_src=url_for("widget_script"))


@bp.get("/")
def home():
    categories, colours = live_vocabulary()
    departments = departments_from(categories)
    shown = [tile for d in departments for tile in d.tiles[:HOME_TILES_PER_DEPARTMENT]]
    return render("Shop by category", departments, shown, None, colours)


@bp.get("/shop/<slug>")
def department(slug: str):
    categories, colours = live_vocabulary()
    departments = departments_from(categories)
    chosen = next((d for d in departments if d.slug == slug), None)
    if chosen is None:
        abort(404)
    return render(chosen.title, departments, list(chosen.tiles), slug, colours)

"""Build, check and update an index from a retailer's catalog file.

`build` is restartable: a build directory is only published once complete, and an
identical catalog with an identical model is detected from the live manifest and skipped.
"""
from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from catalog_index import database
from catalog_index.model import LoadReport, Rejection
from catalog_index.readers import BadRecord, detect_format, read_records
from catalog_index.records import RowError, parse_variant
from index_artefact import layout
from index_artefact.encoder import LEGACY_PRODUCT_ENCODER, PRODUCT_ENCODING, encode, load_product_encoder
from index_artefact.model_files import file_sha256, resolve_model
from index_artefact.vectors import HNSW_MIN_PRODUCTS, build_faiss, index_kind

log = logging.getLogger(__name__)


def load_catalog(path: Path, fmt: str, connection: sqlite3.Connection, progress: bool = True) -> LoadReport:
    """Validate every record and stream the good ones into `connection`."""
    report = LoadReport()
    writer = database.CatalogWriter(connection, report)
    records = read_records(path, fmt)
    for line, record in tqdm(records, desc="reading catalog", unit=" rows", disable=not progress):
        report.rows_read += 1
        if isinstance(record, BadRecord):
            report.rejections.append(Rejection(line, "row", record.reason))
            continue
        try:
            variant = parse_variant(record)
        except RowError as exc:
            report.rejections.append(Rejection(line, exc.field, exc.reason, (record.get("id") or "")[:50] or None))
            continue
        writer.add(line, variant)
    writer.finish()
    return report


@contextmanager
def scratch_database():
    """A throwaway on-disk database: memory stays flat however large the feed."""
    with tempfile.TemporaryDirectory(prefix="omnishop-feed-") as work:
        connection = database.connect(Path(work) / "feed.sqlite")
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        try:
            yield connection
        finally:
            connection.close()


def check_catalog(path: Path, fmt: str = "auto", progress: bool = True) -> LoadReport:
    """Validate without building: the rows go into a scratch database and are thrown away."""
    with scratch_database() as connection:
        return load_catalog(path, fmt, connection, progress)


@dataclass
class BuildResult:
    build_dir: Path
    report: LoadReport | None
    manifest: dict
    skipped: bool = False


def build_index(catalog: Path, index_dir: Path, fmt: str = "auto", model_path: str | None = None,
                model_sha256: str | None = None, force: bool = False, progress: bool = True,
                hnsw_min_products: int = HNSW_MIN_PRODUCTS, model_cache: Path | None = None) -> BuildResult:
    """Build and publish an index of `catalog`; an HNSW graph from `hnsw_min_products` products up.
    Skipped when the live build has the same catalog, model, product encoding, format and index
    kind. Products are embedded by `load_product_encoder`, whose int8 model is derived once into
    `model_cache` (default: `index_dir/encoders`)."""
    import faiss

    started = time.perf_counter()
    fmt = detect_format(catalog) if fmt == "auto" else fmt
    resolved_model, weights_sha = resolve_model(model_path, model_sha256)
    catalog_hash = file_sha256(catalog)
    index_dir.mkdir(parents=True, exist_ok=True)
    if not force and (index_dir / "current").exists():
        live = layout.current_build(index_dir)
        manifest = layout.read_manifest(live)
        if manifest.get("catalog_sha256") == catalog_hash and manifest.get("model_sha256") == weights_sha \
                and manifest.get("format_version") == layout.FORMAT_VERSION \
                and manifest.get("index_kind") == index_kind(manifest.get("products", 0), hnsw_min_products) \
                and manifest.get("product_encoder", {}).get("encoding") == PRODUCT_ENCODING:
            return BuildResult(live, None, manifest, skipped=True)

    # Unique even for two builds of one catalog in the same second (another model, or index kind).
    build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + catalog_hash[:12] + "-" + secrets.token_hex(3)
    build_dir = index_dir / "builds" / build_id
    staging = build_dir.with_name(build_id + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    connection = database.connect(staging / layout.CATALOG_DB)
    report = load_catalog(catalog, fmt, connection, progress)
    if report.products == 0:
        connection.close()
        shutil.rmtree(staging, ignore_errors=True)
        return BuildResult(staging, report, {}, skipped=False)
    database.index_product_text(connection)  # the words lexical ranking matches (BM25)
    connection.commit()
    loaded = time.perf_counter()

    rows, texts = zip(*database.product_texts(connection))
    assert list(rows) == list(range(len(rows))), "product rows must be dense and ordered"
    encoder = load_product_encoder(model_path, model_sha256, model_cache or index_dir / "encoders")
    encoder_ready = time.perf_counter()
    embeddings = encode(encoder, list(texts), show_progress=progress)
    embedded = time.perf_counter()
    np.save(staging / layout.EMBEDDINGS, embeddings)
    kind = index_kind(len(embeddings), hnsw_min_products)
    faiss.write_index(build_faiss(embeddings, kind, progress), str(staging / layout.FAISS_INDEX))
    vocabulary = database.vocabulary(connection)
    layout.write_json(staging / layout.VOCABULARY, vocabulary)
    connection.close()

    manifest = {
        "format_version": layout.FORMAT_VERSION,
        "build_id": build_id,
        "catalog_path": str(catalog),
        "catalog_format": fmt,
        "catalog_sha256": catalog_hash,
        "model_path": str(resolved_model),
        "model_name": resolved_model.name if model_path else "sentence-transformers/all-MiniLM-L6-v2",
        "model_sha256": weights_sha,
        "embedding_dim": int(embeddings.shape[1]),
        "product_encoder": encoder.identity,
        "index_kind": kind,
        "currency": vocabulary["currency"],
        "rows_read": report.rows_read,
        "products": report.products,
        "variants": report.variants,
        "rows_rejected": len(report.rejections),
        "seconds": {"load": round(loaded - started, 2), "encoder": round(encoder_ready - loaded, 2),
                    "embed": round(embedded - encoder_ready, 2),
                    "total": round(time.perf_counter() - started, 2)},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    layout.write_json(staging / layout.MANIFEST, manifest)
    staging.rename(build_dir)
    layout.publish(index_dir, build_dir)
    return BuildResult(build_dir, report, manifest)


@dataclass
class UpdateReport:
    load: LoadReport
    offers_updated: int = 0
    variants_added: int = 0
    products_added: int = 0
    products_reembedded: int = 0
    products_removed: int = 0

    def summary(self) -> str:
        return (f"offers updated: {self.offers_updated}; variants added: {self.variants_added}; "
                f"products added: {self.products_added}; products re-embedded: {self.products_reembedded}; "
                f"products removed: {self.products_removed}")


TEXT_FIELDS = ("title", "description", "brand", "product_type", "gender", "material", "pattern")
PRODUCT_FIELDS = TEXT_FIELDS + ("age_group", "google_product_category", "rating", "review_count", "link", "image_link")
OFFER_FIELDS = ("price", "sale_price", "currency", "availability", "quantity")
VARIANT_FIELDS = ("color_name", "color", "size", "size_system", *OFFER_FIELDS, "gtin", "mpn", "link", "image_link")


def _upsert_products(live, feed, report: UpdateReport) -> list[int]:
    """Apply the feed's products and variants; return the rows whose text must be embedded."""
    rows = {r["group_id"]: r["row"] for r in live.execute("SELECT row, group_id FROM products")}
    next_row = max(rows.values(), default=-1) + 1
    to_embed: list[int] = []
    for product in feed.execute("SELECT * FROM products ORDER BY row"):
        values = [product[f] for f in PRODUCT_FIELDS]
        row = rows.get(product["group_id"])
        if row is None:
            row, next_row = next_row, next_row + 1
            live.execute(f"INSERT INTO products (row, group_id, {', '.join(PRODUCT_FIELDS)}) VALUES (?, ?, "
                         f"{', '.join('?' * len(PRODUCT_FIELDS))})", (row, product["group_id"], *values))
            report.products_added += 1
            to_embed.append(row)
        else:
            old = live.execute(f"SELECT {', '.join(TEXT_FIELDS)} FROM products WHERE row = ?", (row,)).fetchone()
            if tuple(old) != tuple(product[f] for f in TEXT_FIELDS):
                report.products_reembedded += 1
                to_embed.append(row)
            live.execute(f"UPDATE products SET {', '.join(f + ' = ?' for f in PRODUCT_FIELDS)}, removed = 0"
                         " WHERE row = ?", (*values, row))
        for variant in feed.execute("SELECT * FROM variants WHERE product_row = ?", (product["row"],)):
            updated = live.execute(f"UPDATE variants SET {', '.join(f + ' = ?' for f in VARIANT_FIELDS)} WHERE id = ?",
                                   (*[variant[f] for f in VARIANT_FIELDS], variant["id"]))
            if updated.rowcount:
                report.offers_updated += 1
                continue
            live.execute(f"INSERT INTO variants (id, product_row, line, {', '.join(VARIANT_FIELDS)}) VALUES (?, ?, ?, "
                         f"{', '.join('?' * len(VARIANT_FIELDS))})",
                         (variant["id"], row, variant["line"], *[variant[f] for f in VARIANT_FIELDS]))
            report.variants_added += 1
    return to_embed


def _embed_rows(live, build: Path, rows: list[int], model_path: str | None, model_sha256: str | None,
                model_cache: Path) -> None:
    """Re-embed only the given product rows, with the encoder the build was made with; replace
    the vectors and the FAISS index atomically."""
    import faiss

    wanted = set(rows)
    texts = {row: text for row, text in database.product_texts(live) if row in wanted}
    recorded = layout.read_manifest(build).get("product_encoder", LEGACY_PRODUCT_ENCODER)
    encoder = load_product_encoder(model_path, model_sha256, model_cache, recorded=recorded)
    vectors = encode(encoder, [texts[r] for r in rows])
    embeddings = np.load(build / layout.EMBEDDINGS)
    total = live.execute("SELECT max(row) + 1 FROM products").fetchone()[0]
    if total > len(embeddings):
        embeddings = np.vstack([embeddings, np.zeros((total - len(embeddings), embeddings.shape[1]), dtype="float32")])
    embeddings[rows] = vectors
    with open(build / (layout.EMBEDDINGS + ".tmp"), "wb") as handle:
        np.save(handle, embeddings)
    kind = layout.read_manifest(build).get("index_kind", "auto")  # builds before index_kind: by size
    faiss.write_index(build_faiss(embeddings, kind), str(build / (layout.FAISS_INDEX + ".tmp")))
    os.replace(build / (layout.EMBEDDINGS + ".tmp"), build / layout.EMBEDDINGS)
    os.replace(build / (layout.FAISS_INDEX + ".tmp"), build / layout.FAISS_INDEX)


def update_index(catalog: Path, index_dir: Path, fmt: str = "auto", full: bool = False,
                 model_path: str | None = None, model_sha256: str | None = None, progress: bool = True,
                 model_cache: Path | None = None) -> UpdateReport:
    """Apply a partial or full feed to the live build in place.

    Prices, sale prices, stock and availability are plain updates; only new products and
    products whose text changed are embedded. With `full=True` the feed is the whole
    catalog and products missing from it are removed from results. Vectors and the FAISS
    index are replaced before the table changes are committed, so a server that reloads in
    between never sees a product without a vector.
    """
    with scratch_database() as feed:
        return _apply_update(feed, load_catalog(catalog, fmt, feed, progress), catalog, index_dir, full,
                             model_path, model_sha256, model_cache or index_dir / "encoders")


def _apply_update(feed, load: LoadReport, catalog: Path, index_dir: Path, full: bool, model_path: str | None,
                  model_sha256: str | None, model_cache: Path) -> UpdateReport:
    report = UpdateReport(load=load)
    build = layout.current_build(index_dir)
    live = database.connect(build / layout.CATALOG_DB)
    with live:
        to_embed = _upsert_products(live, feed, report)
        if full:
            present = [r[0] for r in feed.execute("SELECT group_id FROM products")]
            live.execute("CREATE TEMP TABLE present (group_id TEXT PRIMARY KEY)")
            live.executemany("INSERT INTO present VALUES (?)", [(g,) for g in present])
            report.products_removed = live.execute(
                "UPDATE products SET removed = 1 WHERE removed = 0 AND group_id NOT IN (SELECT group_id FROM present)"
            ).rowcount
        database.index_product_text(live, to_embed)  # new and changed texts, in the same transaction
        if to_embed:
            _embed_rows(live, build, to_embed, model_path, model_sha256, model_cache)
    live.close()
    manifest = layout.read_manifest(build)
    manifest["last_update"] = {"catalog_path": str(catalog), "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                               "full": full, **{k: v for k, v in vars(report).items() if k != "load"}}
    layout.write_json(build / layout.MANIFEST, manifest)
    return report

"""Build, check and update an index from a retailer's catalog file.

`build` is restartable: a build directory is only published once complete, and an
identical catalog with an identical model is detected from the live manifest and skipped.
"""
from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from catalog_index import artefact, database
from catalog_index.model import LoadReport, Rejection
from catalog_index.readers import BadRecord, detect_format, read_records
from catalog_index.records import RowError, parse_variant

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


def check_catalog(path: Path, fmt: str = "auto", progress: bool = True) -> LoadReport:
    """Validate without building: the rows go into a throwaway in-memory database."""
    return load_catalog(path, fmt, database.connect(":memory:"), progress)


@dataclass
class BuildResult:
    build_dir: Path
    report: LoadReport | None
    manifest: dict
    skipped: bool = False


HNSW_MIN_PRODUCTS = 50_000  # below this an exact index is both faster to build and exact


def build_faiss(embeddings: np.ndarray, kind: str = "auto", progress: bool = False):
    """An exact ("flat") or HNSW index; its ids are product rows (vectors are added in row order)."""
    import faiss

    if kind == "flat" or (kind == "auto" and len(embeddings) < HNSW_MIN_PRODUCTS):
        index = faiss.IndexFlatIP(embeddings.shape[1])
    else:
        index = faiss.IndexHNSWFlat(embeddings.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.verbose = progress
    index.add(embeddings)
    return index


def build_index(catalog: Path, index_dir: Path, fmt: str = "auto", model_path: str | None = None,
                model_sha256: str | None = None, force: bool = False, progress: bool = True) -> BuildResult:
    from recommender.encoder import encode, file_sha256, load_encoder, resolve_model

    import faiss

    started = time.perf_counter()
    fmt = detect_format(catalog) if fmt == "auto" else fmt
    resolved_model, weights_sha = resolve_model(model_path, model_sha256)
    catalog_hash = file_sha256(catalog)
    index_dir.mkdir(parents=True, exist_ok=True)
    if not force and (index_dir / "current").exists():
        live = artefact.current_build(index_dir)
        manifest = artefact.read_manifest(live)
        if manifest.get("catalog_sha256") == catalog_hash and manifest.get("model_sha256") == weights_sha \
                and manifest.get("format_version") == artefact.FORMAT_VERSION:
            return BuildResult(live, None, manifest, skipped=True)

    build_id = time.strftime("%Y%m%dT%H%M%S") + "-" + catalog_hash[:12]
    build_dir = index_dir / "builds" / build_id
    staging = build_dir.with_name(build_id + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    connection = database.connect(staging / artefact.CATALOG_DB)
    report = load_catalog(catalog, fmt, connection, progress)
    if report.products == 0:
        connection.close()
        shutil.rmtree(staging, ignore_errors=True)
        return BuildResult(staging, report, {}, skipped=False)
    loaded = time.perf_counter()

    rows, texts = zip(*database.product_texts(connection))
    assert list(rows) == list(range(len(rows))), "product rows must be dense and ordered"
    encoder = load_encoder(model_path, model_sha256)
    embeddings = encode(encoder, list(texts), show_progress=progress)
    embedded = time.perf_counter()
    np.save(staging / artefact.EMBEDDINGS, embeddings)
    faiss.write_index(build_faiss(embeddings, progress=progress), str(staging / artefact.FAISS_INDEX))
    artefact.write_json(staging / artefact.VOCABULARY, database.vocabulary(connection))
    connection.close()

    manifest = {
        "format_version": artefact.FORMAT_VERSION,
        "build_id": build_id,
        "catalog_path": str(catalog),
        "catalog_format": fmt,
        "catalog_sha256": catalog_hash,
        "model_path": str(resolved_model),
        "model_name": resolved_model.name if model_path else "sentence-transformers/all-MiniLM-L6-v2",
        "model_sha256": weights_sha,
        "embedding_dim": int(embeddings.shape[1]),
        "rows_read": report.rows_read,
        "products": report.products,
        "variants": report.variants,
        "rows_rejected": len(report.rejections),
        "seconds": {"load": round(loaded - started, 2), "embed": round(embedded - loaded, 2),
                    "total": round(time.perf_counter() - started, 2)},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    artefact.write_json(staging / artefact.MANIFEST, manifest)
    staging.rename(build_dir)
    artefact.publish(index_dir, build_dir)
    return BuildResult(build_dir, report, manifest)


@dataclass
class UpdateReport:
    load: LoadReport
    updated: int = 0
    unknown_ids: int = 0


def update_index(catalog: Path, index_dir: Path, fmt: str = "auto", progress: bool = True) -> UpdateReport:
    """Apply price, sale price, availability and stock from a (partial or full) feed in place.

    Only offer fields change, so nothing is re-embedded; servers re-read the table on the
    next search because the database file's modification time changes.
    """
    checked = database.connect(":memory:")
    report = UpdateReport(load=load_catalog(catalog, fmt, checked, progress))
    live = database.connect(artefact.current_build(index_dir) / artefact.CATALOG_DB)
    with live:
        for row in checked.execute("SELECT id, price, sale_price, currency, availability, quantity FROM variants"):
            cursor = live.execute(
                "UPDATE variants SET price = ?, sale_price = ?, currency = ?, availability = ?, quantity = ?"
                " WHERE id = ?",
                (row["price"], row["sale_price"], row["currency"], row["availability"], row["quantity"], row["id"]),
            )
            if cursor.rowcount:
                report.updated += 1
            else:
                report.unknown_ids += 1
    live.close()
    return report

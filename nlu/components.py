"""Rasa NLU component that turns shopping language into normalised entities.

Registered by name in config.yml as `nlu.components.ShoppingConstraintExtractor`. It wraps
the pure parser in `nlu.constraints` and reads the catalog vocabulary (brands, categories)
from the live index at run time, re-reading it when a new build is published, so a
retailer's new brands are understood without retraining the Rasa model.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.model_data import ragged_array_to_ndarray

from nlu.constraints import extract_constraints
from nlu.vocabulary import CatalogVocabulary
from index_artefact.model_files import index_model
from runtime.settings import Settings

log = logging.getLogger(__name__)
CONSTRAINTS = "constraints"


def _vocabulary_path(config: dict[str, Any]) -> Path:
    # vocabulary_path: None means "the live index": $OMNISHOP_INDEX/current/vocabulary.json
    return Path(config.get("vocabulary_path") or Settings.from_env().index_dir / "current" / "vocabulary.json")


class VocabularyFile:
    """The catalog vocabulary of the live index build, re-read when its file changes."""

    def __init__(self, path: Path):
        self.path = path
        self._stamp: tuple | None = None
        self._vocabulary = CatalogVocabulary.from_dict({"brands": [], "categories": []})

    def get(self) -> CatalogVocabulary:
        try:
            resolved = self.path.resolve()
            stamp = (str(resolved), resolved.stat().st_mtime)
        except FileNotFoundError:
            return self._vocabulary
        if stamp != self._stamp:
            self._vocabulary = CatalogVocabulary.from_json(resolved)
            self._stamp = stamp
            log.info("catalog vocabulary loaded from %s", resolved)
        return self._vocabulary


def shop_currency(vocabulary: CatalogVocabulary, config: dict[str, Any]) -> str:
    """What a budget without a currency is in: the live catalog's currency, as its build
    recorded it, else the configured `default_currency`."""
    return vocabulary.currency or config.get("default_currency") or "USD"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ShoppingConstraintExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # default_currency: for a budget without a currency when the live build records none
        # (builds made before the vocabulary carried the catalog's currency)
        return {"vocabulary_path": None, "default_currency": "USD"}

    def __init__(self, config: dict[str, Any]):
        self._config = config
        self._vocabulary = VocabularyFile(_vocabulary_path(config))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ShoppingConstraintExtractor":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        vocabulary = self._vocabulary.get()
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            result = extract_constraints(text, vocabulary, shop_currency(vocabulary, self._config))
            entities = [
                {k: v for k, v in entity.items() if k in ("entity", "start", "end", "value")}
                for entity in result.entities
            ]
            entities = self.add_extractor_name(entities)
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
            message.set(CONSTRAINTS, result.constraints, add_to_output=True)
        return messages


# What kind of shopping fact each token carries, as the intent classifier sees it. An excluded
# colour, brand or category still names one ("not black" is about colour, as "in black" is).
FEATURE_OF_ENTITY = {
    "category": "category", "brand": "brand", "color": "color", "gender": "gender", "size": "size",
    "size_system": "size", "width": "size", "price_min": "price", "price_max": "price", "currency": "price",
    "price_around": "price", "rating_min": "rating", "ordinal": "ordinal", "quantity": "quantity",
    "exclude_color": "color", "exclude_brand": "brand", "exclude_category": "category",
}
FEATURES = tuple(sorted(set(FEATURE_OF_ENTITY.values())))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ShoppingConstraintFeaturizer(SparseFeaturizer, GraphComponent):
    """Tells DIET which tokens the parser read as a category, brand, size, price...

    Intent words alone cannot tell "hoody grey" (a new search: a category is named) from
    "in grey" (a refinement), and a brand or a misspelt category the classifier never saw
    in training is just an unknown word to it. One feature per kind of fact, marked on its
    tokens and on the sentence, lets it learn "names a category -> search" once for every
    catalog, however the shopper spells it, with the vocabulary read from the live index
    exactly as the extractor does.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SparseFeaturizer.get_default_config(), "vocabulary_path": None}

    def __init__(self, config: dict[str, Any], execution_context: ExecutionContext):
        super().__init__(execution_context.node_name, config)
        self._vocabulary = VocabularyFile(_vocabulary_path(config))

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ShoppingConstraintFeaturizer":
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        if not self._vocabulary.get().brands:
            log.warning("no catalog vocabulary at %s: build the index before training, or brand and "
                        "category features are missing from the model", self._vocabulary.path)
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        vocabulary = self._vocabulary.get()
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT])
            if not message.get(TEXT) or not tokens:
                continue
            sequence = np.zeros((len(tokens), len(FEATURES)))
            for entity in extract_constraints(message.get(TEXT), vocabulary).entities:
                if entity["entity"] not in FEATURE_OF_ENTITY:
                    continue  # a dialogue cue (price_direction, sort, drop, wish...), not a shopping fact
                column = FEATURES.index(FEATURE_OF_ENTITY[entity["entity"]])
                for row, token in enumerate(tokens):
                    if token.start < entity["end"] and token.end > entity["start"]:
                        sequence[row, column] = 1.0
            sentence = sequence.max(axis=0, keepdims=True)
            self.add_features_to_message(scipy.sparse.coo_matrix(sequence), scipy.sparse.coo_matrix(sentence),
                                         TEXT, message)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(LanguageModelFeaturizer):
    """Dense features from the catalog's sentence encoder (all-MiniLM-L6-v2 by default).

    Rasa's own LanguageModelFeaturizer (TensorFlow BERT, loaded from the verified local
    weights, never a hub) with two changes: the weights come from the live index's manifest,
    and the sentence feature is the mean of the token outputs, the pooling MiniLM was trained
    with, instead of BERT's [CLS] token. Sparse n-grams only know the words of the training
    lines; a sentence encoder trained on a billion sentence pairs also knows their neighbours
    ("so long" is near "goodbye", "a coat that keeps me warm" near "winter jacket")."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**LanguageModelFeaturizer.get_default_config(), "model_name": "bert", "manifest_path": None}

    def _load_model_metadata(self) -> None:
        settings = Settings.from_env()
        manifest = Path(self._config.get("manifest_path") or settings.index_dir / "current" / "manifest.json")
        model_path, _ = index_model(manifest, settings.model_path)
        self._config = {**self._config, "model_weights": str(model_path)}
        super()._load_model_metadata()

    def _load_model_instance(self) -> None:
        """Rasa's loading, plus the model traced once as a TensorFlow graph: called eagerly,
        as Rasa does, one short message costs several times the whole turn budget; traced, it
        fits (the turn latencies in docs/benchmarks.md include it)."""
        import tensorflow as tf

        super()._load_model_instance()
        model = self.model
        self._traced = tf.function(
            lambda ids, mask: model(ids, attention_mask=mask)[0],
            input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.int32)])

    def _compute_batch_sequence_features(self, batch_attention_mask: np.ndarray,
                                         padded_token_ids: list[list[int]]) -> np.ndarray:
        ids = np.asarray(padded_token_ids, dtype=np.int32)
        mask = np.asarray(batch_attention_mask, dtype=np.int32)
        return self._traced(ids, mask).numpy()

    def _post_process_sequence_embeddings(self, sequence_embeddings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sentences, tokens = [], []
        for example in sequence_embeddings:
            pooled = example.mean(axis=0)
            sentences.append(pooled / max(float(np.linalg.norm(pooled)), 1e-12))
            tokens.append(example[1:-1])  # without [CLS] and [SEP], one row per word piece
        return np.array(sentences), ragged_array_to_ndarray(tokens)

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

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.constraints import extract_constraints
from nlu.vocabulary import CatalogVocabulary
from runtime.settings import Settings

log = logging.getLogger(__name__)
CONSTRAINTS = "constraints"


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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class ShoppingConstraintExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # vocabulary_path: None means "the live index": $OMNISHOP_INDEX/current/vocabulary.json
        return {"vocabulary_path": None, "default_currency": "USD"}

    def __init__(self, config: dict[str, Any]):
        self._config = config
        path = config.get("vocabulary_path") or Settings.from_env().index_dir / "current" / "vocabulary.json"
        self._vocabulary = VocabularyFile(Path(path))

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
            result = extract_constraints(text, vocabulary, self._config["default_currency"])
            entities = [
                {k: v for k, v in entity.items() if k in ("entity", "start", "end", "value")}
                for entity in result.entities
            ]
            entities = self.add_extractor_name(entities)
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
            message.set(CONSTRAINTS, result.constraints, add_to_output=True)
        return messages

"""Checks every parser table shares: nothing is lost between the entities and the constraints."""
from __future__ import annotations

from nlu.constraints import extract_constraints
from nlu.entities import constraints_from_entities
from nlu.vocabulary import CatalogVocabulary


def assert_entities_rebuild_the_constraints(utterance: str, vocabulary: CatalogVocabulary) -> None:
    """The action server and /api/parse see constraints only as entities: the entities must give
    back the same constraints, and each must point at the words as typed."""
    result = extract_constraints(utterance, vocabulary)
    assert constraints_from_entities(result.entities) == result.constraints
    for entity in result.entities:
        assert utterance[entity["start"]:entity["end"]] == entity["text"]

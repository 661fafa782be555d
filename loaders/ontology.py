"""The fact kinds and the kinds of thing each may join, read from ``data/ontology.yaml``.

One validated file says which facts exist and what their ends may be, so that a pattern can
never produce a VISITED from a company to an exercise, whatever the parse says.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

PATH = Path(__file__).resolve().parent / "data" / "ontology.yaml"
# Ends that are not actors.
OTHER_ENDS = ("agreement", "exercise")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FactKind(_Strict):
    source: tuple[str, ...]
    target: tuple[str, ...]
    symmetric: bool = False
    # The gold format (tests/fixtures/FORMAT.md) scores it as a tie.
    scored: bool = False
    # It ties its two ends directly in the actor network, with this weight.
    network: bool = False
    weight: float = 1.0
    # A state's own body at an end (its army, navy, ministry: "la France forme l'armée
    # malienne") states the fact of the state too, which is added beside it; with
    # "between_states", only where the other end is a state or a state's body too ("les
    # États-Unis ont livré trois hélicoptères à l'armée libanaise": a state's gift to a state,
    # where a company's sale to an army stays the army's).
    bodies_speak_for_states: bool | Literal["between_states"] = False

    @property
    def between_agreements(self) -> bool:
        return self.source == ("agreement",) and self.target == ("agreement",)


class Ontology(_Strict):
    actor_kinds: tuple[str, ...]
    agreement_kinds: tuple[str, ...]
    agreement_statuses: tuple[str, ...]
    event_kinds: tuple[str, ...]
    statuses: tuple[str, ...]
    facts: dict[str, FactKind]

    def names(self, **flags: bool) -> tuple[str, ...]:
        """Fact kinds in file order whose flags (symmetric, scored, network) have these values."""
        return tuple(
            name
            for name, kind in self.facts.items()
            if all(getattr(kind, flag) == value for flag, value in flags.items())
        )

    @model_validator(mode="after")
    def _ends_are_known(self) -> Ontology:
        known = set(self.actor_kinds) | set(OTHER_ENDS)
        for name, fact in self.facts.items():
            unknown = sorted((set(fact.source) | set(fact.target)) - known)
            if unknown:
                raise ValueError(f"{name}: unknown end kinds {unknown}")
        return self

    def allows(self, fact: str, source_kind: str, target_kind: str) -> bool:
        kind = self.facts[fact]
        return source_kind in kind.source and target_kind in kind.target


def parse_ontology(text: str, path: str = "ontology.yaml") -> Ontology:
    try:
        return Ontology.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {' '.join(str(exc).split())}") from None


@cache
def ontology() -> Ontology:
    return parse_ontology(PATH.read_text(encoding="utf-8"), str(PATH.name))

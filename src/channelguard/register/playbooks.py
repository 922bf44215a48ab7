"""Response playbooks as data: YAML files (data/playbooks/*.yaml, or a folder of
your own) validated like the channel model, every problem as `file:line: what`.

    books = load_playbooks()                 # the shipped ones
    books.for_harm("account_takeover").lead  # -> OwnerRole.SECURITY
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from channelguard.errors import InputError, Issue, ModelError, NotFoundError
from channelguard.model.loader import schema_issues
from channelguard.model.yamlsource import parse_yaml
from channelguard.register.vocab import HarmType, OwnerRole

__all__ = ["Playbook", "Playbooks", "lint_playbooks", "load_playbooks"]

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Raci(_Strict):
    responsible: list[OwnerRole] = Field(min_length=1)
    accountable: OwnerRole
    consulted: list[OwnerRole] = Field(default_factory=list)
    informed: list[OwnerRole] = Field(default_factory=list)


class Step(_Strict):
    id: Id
    do: str = Field(min_length=1, max_length=1000)
    role: OwnerRole
    within_hours: float = Field(gt=0, le=24 * 365)


class Playbook(_Strict):
    id: Id
    title: str = Field(min_length=1, max_length=200)
    harm_types: list[HarmType] = Field(min_length=1)
    lead: OwnerRole
    raci: Raci
    steps: list[Step] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Playbook:
        ids = [s.id for s in self.steps]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"step ids repeat: {', '.join(dupes)}")
        if self.raci.accountable is not self.lead:
            raise ValueError(
                f"raci.accountable '{self.raci.accountable.value}' is not the lead "
                f"'{self.lead.value}': one role leads and answers for the response"
            )
        return self


@dataclass(frozen=True, slots=True)
class Playbooks:
    by_id: dict[str, Playbook]

    def get(self, playbook_id: str) -> Playbook:
        try:
            return self.by_id[playbook_id]
        except KeyError:
            raise NotFoundError(f"no playbook '{playbook_id}'") from None

    def for_harm(self, harm_type: str) -> Playbook:
        for book in self.by_id.values():
            if harm_type in book.harm_types:
                return book
        raise NotFoundError(f"no playbook for harm type '{harm_type}'")

    def to_list(self) -> list[dict[str, Any]]:
        return [b.model_dump(mode="json") for b in self.by_id.values()]


def _parse(text: str, name: str) -> tuple[Playbook | None, list[Issue]]:
    doc = parse_yaml(text, name)
    if doc.issues:
        return None, doc.issues
    try:
        return Playbook.model_validate(doc.data), []
    except ValidationError as exc:
        return None, schema_issues(exc, doc)


def lint_playbooks(folder: str | Path | None = None) -> tuple[Playbooks, list[Issue]]:
    """Every playbook in `folder` (default: the shipped ones) and every problem found."""
    books: dict[str, Playbook] = {}
    issues: list[Issue] = []
    for name, text in _sources(folder):
        book, found = _parse(text, name)
        issues += found
        if book is None:
            continue
        if book.id in books:
            issues.append(Issue(file=name, line=1, field="id", message=f"'{book.id}' repeats"))
        books[book.id] = book
    harms = [h for b in books.values() for h in b.harm_types]
    for harm in sorted({h for h in harms if harms.count(h) > 1}):
        issues.append(
            Issue(
                file=str(folder),
                line=None,
                field="harm_types",
                message=f"'{harm}' is claimed by more than one playbook",
            )
        )
    for harm in HarmType:
        if harm not in harms and folder is None:
            issues.append(
                Issue(
                    file="<shipped>",
                    line=None,
                    field="harm_types",
                    message=f"no playbook for '{harm.value}'",
                )
            )
    return Playbooks(books), issues


def load_playbooks(folder: str | Path | None = None) -> Playbooks:
    books, issues = lint_playbooks(folder)
    if issues:
        raise ModelError(issues)
    return books


def _sources(folder: str | Path | None) -> list[tuple[str, str]]:
    if folder is None:
        root = resources.files("channelguard").joinpath("data/playbooks")
        return [
            (f"playbooks/{p.name}", p.read_text(encoding="utf-8"))
            for p in sorted(root.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".yaml")
        ]
    path = Path(folder)
    if not path.is_dir():
        raise NotFoundError(f"{path}: no such folder of playbooks")
    out = []
    for p in sorted(path.glob("*.yaml")):
        try:
            out.append((str(p), p.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{p}: cannot read: {exc}") from None
    return out

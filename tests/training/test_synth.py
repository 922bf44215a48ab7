"""The generators' template folds: what the benchmark holds out never reaches training."""

from __future__ import annotations

import pytest

from training.synth import generate
from training.synth.attacks import ATTACK_SETS
from training.synth.benign import BENIGN_SETS
from training.synth.core import in_split, pick_templates
from training.synth.scam import SCAM_PARTS

SETS = sorted({*ATTACK_SETS, *BENIGN_SETS})


@pytest.mark.parametrize(
    ("split", "folds"),
    [
        ("train", {0, 1}),
        ("val", {2}),
        ("test", {3}),
        ("dev", {0, 1, 2}),
        ("dev-0", {1, 2}),
        ("dev-2", {0, 1}),
        ("fold-1", {1}),
        ("all", {0, 1, 2, 3}),
    ],
)
def test_split_names_select_their_folds(split: str, folds: set[int]) -> None:
    assert {i % 4 for i in range(16) if in_split(i, split)} == folds


def test_a_short_list_lends_nothing_to_held_out_splits() -> None:
    assert pick_templates(["only"], "test") == []
    assert pick_templates(["only"], "train") == ["only"]


@pytest.mark.parametrize("name", SETS)
def test_test_texts_never_appear_in_training_or_cross_fitting(name: str) -> None:
    held_out = {s.text for s in generate(name, 300, split="test", seed=1)}
    seen = {s.text for s in generate(name, 2000, split="dev", seed=0)}
    assert held_out, name
    assert not held_out & seen, sorted(held_out & seen)[:3]


@pytest.mark.parametrize("name", SETS)
def test_generators_are_deterministic(name: str) -> None:
    first = [s.text for s in generate(name, 50, split="val", seed=4)]
    assert first == [s.text for s in generate(name, 50, split="val", seed=4)]


def test_composed_scam_calls_use_only_parts_of_their_fold() -> None:
    for sample in generate("attack_scam_call", 400, split="test", seed=2):
        if sample.source != "synth:scam_composed":
            continue
        parts = SCAM_PARTS[sample.lang]
        train_asks = [a.split("{")[0][:30] for a in pick_templates(parts["ask"], "dev")]
        assert not any(a and a in sample.text for a in train_asks), sample.text


def test_unknown_set_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="unknown synthetic set"):
        generate("attack_nothing", 1)


def test_templates_are_data_files_not_python_tables() -> None:
    """Issue 10: the generators' sentences live in templates/*.yaml; the modules hold
    the machinery. A module that grows a string table again fails here."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "training" / "synth"
    for module in root.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        strings = [
            n
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and " " in n.value
        ]
        assert len(strings) < 40, f"{module.name}: {len(strings)} sentences in code"
    assert len(list((root / "templates").glob("*.yaml"))) >= 7


def test_template_tables_load_with_their_pairs() -> None:
    from training.synth.core import tables
    from training.synth.trigger_more import TRIGGER_GENRES

    assert isinstance(TRIGGER_GENRES[0], tuple)  # (language, text), hashable for the folds
    assert set(SCAM_PARTS) >= {"en", "es", "fr", "de"}
    assert tables("scam")["SCAM_PARTS"] is SCAM_PARTS  # read once

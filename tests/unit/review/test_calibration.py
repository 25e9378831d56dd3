"""The pure agreement measures behind reviewer calibration and the aggregate view."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from reciprocal.review.calibration import aggregate_cards, agreement, weighted_kappa


def test_perfect_agreement_is_one() -> None:
    assert weighted_kappa([(0, 0), (1, 1), (2, 2), (1, 1)]) == pytest.approx(1.0)


def test_linear_weighted_kappa_known_value() -> None:
    # Worked by hand: observed 2.5/3, chance 0.5, so kappa = (5/6 - 1/2) / (1/2) = 2/3.
    assert weighted_kappa([(0, 0), (1, 2), (2, 2)]) == pytest.approx(2 / 3)


def test_two_categories_reduce_to_plain_kappa() -> None:
    # Classic 2x2: po = 0.5, pe = 0.5, kappa 0; systematic opposite ratings give -1.
    assert weighted_kappa([(0, 0), (0, 1), (1, 0), (1, 1)], categories=2) == pytest.approx(0.0)
    assert weighted_kappa([(0, 1), (1, 0)], categories=2) == pytest.approx(-1.0)


def test_undefined_kappa_is_none() -> None:
    assert weighted_kappa([(1, 1), (1, 1)]) is None
    assert weighted_kappa([]) is None


def test_exact_and_adjacent_shares() -> None:
    result = agreement("Testing", [(0, 0), (0, 1), (0, 2), (2, 2)])
    assert result.exact == pytest.approx(0.5)
    assert result.adjacent == pytest.approx(0.75)
    assert result.n == 4


def _card(**levels: str) -> SimpleNamespace:
    return SimpleNamespace(
        scores=[
            SimpleNamespace(criterion=k, level=v, evidence="because", comment_id=None)
            for k, v in levels.items()
        ]
    )


def test_aggregate_flags_disagreements() -> None:
    rows = aggregate_cards(
        ["A", "B", "C"],
        [_card(A="great", B="good", C="good"), _card(A="mediocre", B="great")],
    )
    by_name = {r.criterion: r for r in rows}
    assert by_name["A"].disagreement == "strong" and by_name["A"].spread == 2
    assert by_name["B"].disagreement == "some"
    assert by_name["C"].levels == ["good", None] and by_name["C"].missing_evidence

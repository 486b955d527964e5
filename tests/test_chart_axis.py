"""The stats charts' y-axis labels fit the rows a chart gets: two labels on one row overwrite
each other in an order plotext leaves to a set, so a short chart said 90% in one run and 80% in
the next."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from studyctl.tui.stats import thinned


@given(count=st.integers(1, 40), rows=st.integers(1, 60))
def test_thinned_ticks_fit_the_rows_and_keep_both_ends(count, rows):
    keep = thinned(count, rows)
    assert keep[0] == 0
    assert len(keep) <= max(rows, 2)
    if count > 1:
        assert keep[-1] == count - 1
        assert len({b - a for a, b in pairwise(keep)}) == 1  # evenly spaced


def test_a_tall_chart_keeps_every_label():
    assert thinned(6, 8) == [0, 1, 2, 3, 4, 5]


def test_a_short_retention_chart_keeps_its_ends():
    assert thinned(6, 4) == [0, 5]

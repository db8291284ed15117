"""The bit-sliced "more on this" ranking agrees with counting pair by pair."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dossierpress.graph.ranking import FeatureMasks, rank


def brute_force(features: list[tuple[int, int]], exclude: int, limit: int) -> list[int]:
    score: Counter[int] = Counter()
    for mask, weight in features:
        for position in range(mask.bit_length()):
            if mask >> position & 1:
                score[position] += weight
    candidates = [p for p in score if p != exclude]
    return sorted(candidates, key=lambda p: (-score[p], -p))[:limit]


@settings(max_examples=300, deadline=None)
@given(
    features=st.lists(
        st.tuples(st.integers(min_value=0, max_value=2**80 - 1), st.sampled_from([1, 2, 4])),
        max_size=8,
    ),
    exclude=st.integers(min_value=0, max_value=79),
    limit=st.integers(min_value=1, max_value=7),
)
def test_rank_matches_counting_pair_by_pair(features, exclude, limit):
    assert rank(features, exclude, limit) == brute_force(features, exclude, limit)


def test_masks_put_each_member_at_its_date_position():
    masks = FeatureMasks(["old", "middle", "new"], {("tag", "x"): ("old", "new")})
    assert masks.mask(("tag", "x"), ("old", "new")) == 0b101
    assert masks.mask(("tag", "y"), ("middle",)) == 0b010  # not built ahead: from its members
    assert masks.position["middle"] == 1

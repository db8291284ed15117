""" "More on this": the articles that share the most with one article, ranked on demand.

Shared topics weigh double, shared tags once; ties go to the newer article. Counting
shared features pair by pair costs the square of a big topic's size (10,000 articles in
a few topics is hours of work), so each topic's and tag's members are kept as one bit mask
over the articles in date order, and the scores of all candidates are added at once in
"bit-sliced" counters (one integer per binary digit of the score): a handful of big-integer
operations per feature, whatever the topic's size. The highest score's highest bits are
then the best, newest candidates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

TOPIC_WEIGHT = 2
TAG_WEIGHT = 1


class FeatureMasks:
    """Bit masks of feature members over article positions (bit i = the i-th oldest).

    Built whole with the graph and never changed afterwards, so a graph can be shared by
    threads, sent to worker processes and compared without a hidden cache in it.
    """

    def __init__(
        self, order: Sequence[str], members: Mapping[tuple[str, str], Sequence[str]]
    ) -> None:
        self.order = tuple(order)
        self.position = {path: i for i, path in enumerate(self.order)}
        self._masks = {feature: self._bits(paths) for feature, paths in members.items()}

    def mask(self, feature: tuple[str, str], members: Sequence[str]) -> int:
        """The mask of ``feature``, whose ``members`` the caller read from the graph."""
        found = self._masks.get(feature)
        return self._bits(members) if found is None else found

    def _bits(self, members: Sequence[str]) -> int:
        bits = bytearray(len(self.order) // 8 + 1)
        for path in members:
            i = self.position[path]
            bits[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(bits, "little")


def rank(features: Sequence[tuple[int, int]], exclude: int, limit: int) -> list[int]:
    """Positions of the ``limit`` best candidates: highest total weight, then newest.

    ``features`` are (member mask, weight) pairs; ``exclude`` is the article's own position.
    """
    slices: list[int] = []
    union = 0
    for mask, weight in features:
        union |= mask
        _add(slices, mask, weight.bit_length() - 1)
    union &= ~(1 << exclude)
    picked: list[int] = []
    for score in range(sum(w for _, w in features), 0, -1):
        if score >> len(slices):
            continue
        level = union
        for i, digit in enumerate(slices):
            level &= digit if (score >> i) & 1 else ~digit
        while level and len(picked) < limit:
            newest = level.bit_length() - 1
            picked.append(newest)
            level ^= 1 << newest
        if len(picked) == limit:
            break
    return picked


def _add(slices: list[int], mask: int, level: int) -> None:
    """Add ``mask`` (one per member) at binary digit ``level`` to the bit-sliced counters."""
    carry = mask
    while carry:
        while len(slices) <= level:
            slices.append(0)
        slices[level], carry = slices[level] ^ carry, slices[level] & carry
        level += 1

"""Byte-level byte-pair encoding (BPE): learn merges from a corpus, then encode and decode text.

Tokens are ids: 0..255 are the 256 single bytes of UTF-8, and merge number i (counting from 0)
creates the new id 256 + i for the two ids it joins. Any text round-trips, even characters the
corpus never showed (Chinese, emoji): they stay as their UTF-8 bytes.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check bpe-tokenizer`
to see which steps pass.
"""

import re
from collections import Counter  # noqa: F401  (handy for counting words and pairs)

# Pre-tokenisation (given): words with the space in front of them, runs of punctuation, runs of
# whitespace. Merges never cross the boundary between two of these pieces. "".join(pieces) == text.
PIECE = re.compile(r" ?\w+| ?[^\w\s]+|\s+(?!\S)|\s+")


def pretokenize(text: str) -> list[str]:
    """Split text into the pieces BPE works inside (given: no need to change it)."""
    return PIECE.findall(text)


def count_pairs(words: dict[tuple[int, ...], int]) -> dict[tuple[int, int], int]:
    """How often each pair of neighbouring ids occurs in the corpus.

    words maps each distinct word, a tuple of ids, to the number of times it occurs. A pair seen
    twice inside a word that occurs 5 times counts 10. Returns {(a, b): count}, pairs that occur only."""
    # TODO: for every word and every two neighbouring ids in it, add the word's frequency.
    raise NotImplementedError


def merge_pair(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """ids with every occurrence of pair replaced by new_id, scanning left to right, so that an
    overlapping run such as (5, 5, 5) with pair (5, 5) becomes (new_id, 5). Returns a new list."""
    # TODO: walk through ids with an index; on a match append new_id and jump two places.
    raise NotImplementedError


def train(text: str, vocab_size: int) -> list[tuple[int, int]]:
    """Learn up to vocab_size - 256 merges from text, in order.

    Pre-tokenise the text, count each distinct piece as a tuple of its UTF-8 bytes, then repeat:
    count the pairs, take the most frequent one (ties: the smallest pair, comparing (a, b) as
    tuples), give it the next id (256, 257, ...) and merge it in every word. Stop early when no
    pair is left. Returns the merges [(a, b), ...]; merge i created id 256 + i."""
    # TODO: the word counts, then one merge per new id from 256 up to vocab_size - 1.
    raise NotImplementedError


def encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    """text -> ids: pre-tokenise, turn each piece into its UTF-8 bytes, and apply the merges in
    the order they were learned (merge 0 first, everywhere it applies, then merge 1, ...)."""
    # TODO: for each piece, its bytes as a list of ids, then the merges in order; concatenate.
    raise NotImplementedError


def build_vocab(merges: list[tuple[int, int]]) -> dict[int, bytes]:
    """{id: the bytes it stands for}: the 256 single bytes, then vocab[256 + i] = the bytes of
    merge i's two ids, joined."""
    # TODO: bytes([i]) for the first 256 ids, then one entry per merge, in order.
    raise NotImplementedError


def decode(ids: list[int], merges: list[tuple[int, int]]) -> str:
    """ids -> text: join the bytes of every id, then decode them as UTF-8 once, at the end (a
    character's bytes may be split over several ids). Invalid bytes become U+FFFD."""
    # TODO: the vocabulary, the joined bytes, one .decode('utf-8', errors='replace').
    raise NotImplementedError

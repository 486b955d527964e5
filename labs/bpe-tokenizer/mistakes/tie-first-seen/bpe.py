"""Byte-level byte-pair encoding (BPE): learn merges from a corpus, then encode and decode text.

Tokens are ids: 0..255 are the 256 single bytes of UTF-8, and merge number i (counting from 0)
creates the new id 256 + i for the two ids it joins. Any text round-trips, even characters the
corpus never showed (Chinese, emoji): they stay as their UTF-8 bytes."""

import itertools
import re
from collections import Counter

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
    counts = Counter()
    for word, freq in words.items():
        for pair in itertools.pairwise(word):
            counts[pair] += freq
    return dict(counts)


def merge_pair(ids: list[int], pair: tuple[int, int], new_id: int) -> list[int]:
    """ids with every occurrence of pair replaced by new_id, scanning left to right, so that an
    overlapping run such as (5, 5, 5) with pair (5, 5) becomes (new_id, 5). Returns a new list."""
    out = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train(text: str, vocab_size: int) -> list[tuple[int, int]]:
    """Learn up to vocab_size - 256 merges from text, in order.

    Pre-tokenise the text, count each distinct piece as a tuple of its UTF-8 bytes, then repeat:
    count the pairs, take the most frequent one (ties: the smallest pair, comparing (a, b) as
    tuples), give it the next id (256, 257, ...) and merge it in every word. Stop early when no
    pair is left. Returns the merges [(a, b), ...]; merge i created id 256 + i."""
    words = Counter(tuple(piece.encode("utf-8")) for piece in pretokenize(text))
    merges = []
    for new_id in range(256, vocab_size):
        counts = count_pairs(words)
        if not counts:
            break
        best = max(counts, key=counts.get)
        merges.append(best)
        merged = Counter()
        for word, freq in words.items():
            if best[0] in word:  # a word without the pair's first id cannot change: skip the work
                word = tuple(merge_pair(list(word), best, new_id))
            merged[word] += freq
        words = merged
    return merges


def encode(text: str, merges: list[tuple[int, int]]) -> list[int]:
    """text -> ids: pre-tokenise, turn each piece into its UTF-8 bytes, and apply the merges in
    the order they were learned (merge 0 first, everywhere it applies, then merge 1, ...)."""
    ranks = {pair: rank for rank, pair in enumerate(merges)}
    ids = []
    for piece in pretokenize(text):
        word = list(piece.encode("utf-8"))
        while len(word) >= 2:
            pair = min(itertools.pairwise(word), key=lambda p: ranks.get(p, len(ranks)))
            if pair not in ranks:
                break
            word = merge_pair(word, pair, 256 + ranks[pair])
        ids.extend(word)
    return ids


def build_vocab(merges: list[tuple[int, int]]) -> dict[int, bytes]:
    """{id: the bytes it stands for}: the 256 single bytes, then vocab[256 + i] = the bytes of
    merge i's two ids, joined."""
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    return vocab


def decode(ids: list[int], merges: list[tuple[int, int]]) -> str:
    """ids -> text: join the bytes of every id, then decode them as UTF-8 once, at the end (a
    character's bytes may be split over several ids). Invalid bytes become U+FFFD."""
    vocab = build_vocab(merges)
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")

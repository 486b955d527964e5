"""Byte-level BPE in the style of Sennrich et al. 2016's Algorithm 1: each word is a string of
space-separated symbols ("104 101 108"), and a merge is one regular-expression substitution."""

import re
from collections import defaultdict

PIECE = re.compile(r" ?\w+| ?[^\w\s]+|\s+(?!\S)|\s+")


def pretokenize(text: str) -> list[str]:
    """Split text into the pieces BPE works inside (given: no need to change it)."""
    return PIECE.findall(text)


def _symbols(ids) -> str:
    return " ".join(str(i) for i in ids)


def _pattern(pair):
    """The pair as two whole symbols: not preceded or followed by more of a symbol."""
    return re.compile(r"(?<!\S)" + re.escape(f"{pair[0]} {pair[1]}") + r"(?!\S)")


def count_pairs(words):
    """{(a, b): count} over neighbouring ids, each word weighted by its frequency."""
    stats = defaultdict(int)
    for word, freq in words.items():
        for i in range(len(word) - 1):
            stats[word[i], word[i + 1]] += freq
    return stats


def merge_pair(ids, pair, new_id):
    """Sennrich's merge: one re.sub over the word written as symbols (re.sub scans left to right
    without overlaps, exactly the rule)."""
    merged = _pattern(pair).sub(str(new_id), _symbols(ids))
    return [int(s) for s in merged.split()]


def train(text, vocab_size):
    """The merges, most frequent pair first, ties to the smaller pair; words kept as symbol strings."""
    vocab = defaultdict(int)
    for piece in pretokenize(text):
        vocab[_symbols(piece.encode("utf-8"))] += 1
    merges = []
    for new_id in range(256, vocab_size):
        stats = count_pairs({tuple(int(s) for s in word.split()): freq for word, freq in vocab.items()})
        if not stats:
            break
        best = sorted(stats.items(), key=lambda item: (-item[1], item[0]))[0][0]
        merges.append(best)
        pattern = _pattern(best)
        vocab = {pattern.sub(str(new_id), word): freq for word, freq in vocab.items()}
    return merges


def encode(text, merges):
    """Each piece as symbols; every merge, in the order learned, as one substitution."""
    patterns = [(_pattern(pair), str(256 + i)) for i, pair in enumerate(merges)]
    ids = []
    for piece in pretokenize(text):
        word = _symbols(piece.encode("utf-8"))
        for pattern, new_id in patterns:
            if " " not in word:
                break
            word = pattern.sub(new_id, word)
        ids += [int(s) for s in word.split()]
    return ids


def build_vocab(merges):
    """A list first (index = id), then the dict."""
    table = [bytes([i]) for i in range(256)]
    for a, b in merges:
        table.append(table[a] + table[b])
    return dict(enumerate(table))


def decode(ids, merges):
    """All the bytes into one bytearray, decoded once."""
    vocab = build_vocab(merges)
    data = bytearray()
    for i in ids:
        data.extend(vocab[i])
    return data.decode("utf-8", errors="replace")

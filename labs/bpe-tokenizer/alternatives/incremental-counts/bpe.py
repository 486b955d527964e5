"""Byte-level BPE with incremental pair counts: after a merge only the words that held the pair
are recounted (the bookkeeping fast tokenizer trainers do), and encode replays all the merges in
order over each distinct piece, as the Hugging Face course's `tokenize` does, with a cache."""

import functools
import itertools
import re
from collections import Counter, defaultdict

PIECE = re.compile(r" ?\w+| ?[^\w\s]+|\s+(?!\S)|\s+")


def pretokenize(text: str) -> list[str]:
    """Split text into the pieces BPE works inside (given: no need to change it)."""
    return PIECE.findall(text)


def count_pairs(words):
    """Count each word's pairs once with a Counter, then scale by the word's frequency."""
    counts = Counter()
    for word, freq in words.items():
        for pair, n in Counter(itertools.pairwise(word)).items():
            counts[pair] += n * freq
    return counts


def merge_pair(ids, pair, new_id):
    """A for loop with a flag that skips the id a merge used up."""
    out, skip = [], False
    for i, token in enumerate(ids):
        if skip:
            skip = False
        elif i + 1 < len(ids) and (token, ids[i + 1]) == tuple(pair):
            out.append(new_id)
            skip = True
        else:
            out.append(token)
    return out


def train(text, vocab_size):
    """Counts kept up to date: a merge subtracts the old pairs of the words it touches and adds
    their new ones. Ties go to the smaller pair (the largest (count, -a, -b))."""
    freq_of = Counter(tuple(piece.encode("utf-8")) for piece in pretokenize(text))
    words = [list(w) for w in freq_of]
    freqs = list(freq_of.values())
    counts = count_pairs(dict(zip(map(tuple, words), freqs, strict=True)))
    where = defaultdict(set)  # pair -> the indexes of the words that hold it (or held it once)
    for index, word in enumerate(words):
        for pair in itertools.pairwise(word):
            where[pair].add(index)
    merges = []
    for new_id in range(256, vocab_size):
        if not counts:
            break
        best = max(counts.items(), key=lambda item: (item[1], -item[0][0], -item[0][1]))[0]
        merges.append(best)
        for index in where.pop(best):
            old = words[index]
            new = merge_pair(old, best, new_id)
            if new == old:
                continue
            for pair in itertools.pairwise(old):
                counts[pair] -= freqs[index]
                if counts[pair] == 0:
                    del counts[pair]
            for pair in itertools.pairwise(new):
                counts[pair] += freqs[index]
                where[pair].add(index)
            words[index] = new
    return merges


def encode(text, merges):
    """Every merge in order over each distinct piece (the course's loop), memoised per piece."""
    merges = [tuple(pair) for pair in merges]

    @functools.cache
    def piece_ids(piece):
        word = list(piece.encode("utf-8"))
        for i, pair in enumerate(merges):
            if len(word) < 2:
                break
            word = merge_pair(word, pair, 256 + i)
        return word

    return [token for piece in pretokenize(text) for token in piece_ids(piece)]


def build_vocab(merges):
    """A dict comprehension for the bytes, then the merges in order."""
    vocab = {i: i.to_bytes(1, "big") for i in range(256)}
    for new_id, (a, b) in enumerate(merges, start=256):
        vocab[new_id] = vocab[a] + vocab[b]
    return vocab


def decode(ids, merges):
    """A list of byte strings joined once, one decode."""
    vocab = build_vocab(merges)
    parts = [vocab[i] for i in ids]
    return b"".join(parts).decode("utf-8", errors="replace")

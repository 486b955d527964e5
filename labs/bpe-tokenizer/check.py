"""Check for the bpe-tokenizer lab: byte-level BPE judged against the lab's reference computed in
the same run (ctx.solution) and against the check's own counting. Seven steps: pair counts, one
merge, the merges learned (with the cause of the first wrong one: a tie, a less frequent pair, a
pair across two pieces), the vocabulary, encoding in merge order (greedy longest match is caught),
decoding to exactly the text (Chinese and emoji included), and the corpus: merges, compression
and round trip on held-out text from CPython's own pydoc_data.topics."""

import functools
import itertools
import random
from collections import Counter

from studyctl.labkit.api import Check, fail, hidden_cases

check = Check()
FILE = "bpe.py"
CORPUS_CHARS = 30_000  # paragraphs of pydoc_data.topics, sampled with a fixed seed, to learn merges from
HELDOUT_CHARS = 8_000  # other paragraphs, never trained on: encode and decode them
VOCAB_SIZE = 512  # 256 bytes + 256 merges
SENNRICH = "low " * 5 + "lower " * 2 + "newest " * 6 + "widest " * 3  # the paper's toy corpus, as text
# Text the corpus never shows: Chinese from the study plans' own topics, accents, Greek, emoji.
UNSEEN = [
    "深度学习是机器学习的一个分支。",
    "字节对编码（BPE）把常见的字节对合并成新的词元。",
    "自然语言处理 90 天计划",
    "naïve café déjà vu",
    "Ελληνικά λόγια",
    "tokens 🙂🚀 and ✓ marks",
]


@functools.lru_cache(maxsize=1)
def _paragraphs() -> tuple[list[str], list[str]]:
    """(training, held-out) paragraphs of CPython's bundled pydoc topics, shuffled with a fixed seed."""
    from pydoc_data.topics import topics

    paragraphs = [p for key in sorted(topics) for p in topics[key].split("\n\n") if p.strip()]
    random.Random(2016).shuffle(paragraphs)
    return paragraphs[: len(paragraphs) // 2], paragraphs[len(paragraphs) // 2 :]


def _take(paragraphs, chars, start=0) -> str:
    out, total = [], 0
    for p in paragraphs[start:]:
        if total >= chars:
            break
        out.append(p)
        total += len(p) + 2
    return "\n\n".join(out)


@functools.lru_cache(maxsize=1)
def corpus() -> tuple[str, str]:
    """(corpus, held-out) text: about 30K and 8K characters of documentation, disjoint."""
    train, heldout = _paragraphs()
    return _take(train, CORPUS_CHARS), _take(heldout, HELDOUT_CHARS)


_reference = {}  # the reference's merges on the corpus, computed once per run


def _reference_merges(ctx):
    if "merges" not in _reference:
        _reference["merges"] = ctx.solution(FILE).train(corpus()[0], VOCAB_SIZE)
    return _reference["merges"]


def _pairs_by_hand(words):
    counts = Counter()
    for word, freq in words.items():
        for pair in itertools.pairwise(word):
            counts[pair] += freq
    return counts


def _show_pairs(counts, keys):
    return ", ".join(f"{k}: {counts.get(k, 0)}" for k in keys)


def _as_count_dict(got, label):
    if not isinstance(got, dict):
        fail(f"{label} should return a dict {{(a, b): count}}, got {type(got).__name__}")
    bad = [k for k in got if not (isinstance(k, tuple) and len(k) == 2)]
    if bad:
        fail(f"{label}: every key should be a pair of ids (a, b), a tuple; found {bad[0]!r}")
    return {k: v for k, v in got.items() if v}


@check.step("pairs")
def pairs(ctx):
    """count_pairs counts neighbouring pairs inside each word, weighted by the word's frequency."""
    mine = ctx.learner(FILE)
    visible = {tuple(w.encode()): f for w, f in {"low": 5, "lower": 2, "newest": 6, "widest": 3}.items()}
    cases = [("count_pairs(Sennrich's words: low 5, lower 2, newest 6, widest 3, as bytes)", visible)]
    for case in hidden_cases(seed=31, count=8):
        words = {}
        for _ in range(case.randint(0, 8)):
            word = tuple(case.rng.choice([0, 1, 2, 3, 300]) for _ in range(case.randint(1, 7)))
            words[word] = case.randint(1, 9)
        cases.append((f"count_pairs(words), {case.name}, {len(words)} words", words))
    for label, words in cases:
        got = _as_count_dict(mine.count_pairs(dict(words)), label)
        expected = dict(_pairs_by_hand(words))
        if got == expected:
            continue
        wrong = sorted(set(got) ^ set(expected) | {k for k in got if got.get(k) != expected.get(k)})[:5]
        hint = (
            "Add the word's frequency for every pair inside it: a pair seen twice in a word that occurs 5 times "
            "counts 10."
        )
        once = dict(_pairs_by_hand(dict.fromkeys(words, 1)))
        if got == once:
            hint = (
                "Those are the counts with every word counted once. words maps each distinct word to how often it "
                "occurs: add freq, not 1 (Sennrich's 'newest' occurs 6 times, so the 'es' inside it adds 6)."
            )
        elif any(k not in expected for k in got):
            hint = "Some of your pairs are not neighbours inside one word: pairs never span two words."
        fail(f"{label}:\n  expected {_show_pairs(expected, wrong)}\n  got      {_show_pairs(got, wrong)}\n{hint}")


def _merge_by_hand(ids, pair, new_id, skip=2):
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += skip
        else:
            out.append(ids[i])
            i += 1
    return out


@check.step("merge")
def merge(ctx):
    """merge_pair replaces each occurrence of the pair, left to right, without overlaps."""
    mine = ctx.learner(FILE)
    cases = [([1, 2, 3, 1, 2], (1, 2), 256, "visible case"), ([5, 5, 5, 5, 5], (5, 5), 300, "visible case (a run)")]
    for case in hidden_cases(seed=32, count=10):
        ids = [case.randint(0, 2) for _ in range(case.randint(0, 12))]
        cases.append((ids, (case.randint(0, 2), case.randint(0, 2)), 256 + case.randint(0, 50), case.name))
    for ids, pair, new_id, label in cases:
        got = mine.merge_pair(list(ids), pair, new_id)
        expected = _merge_by_hand(ids, pair, new_id)
        name = f"merge_pair({ids}, {pair}, {new_id}), {label}"
        if got is None:
            fail(f"{name} returned None: return the new list")
        if list(got) == expected:
            continue
        hint = (
            "Scan left to right: where ids[i], ids[i + 1] is the pair, append new_id and jump two places; "
            "otherwise append ids[i] and move one."
        )
        if list(got) == _merge_by_hand(ids, pair, new_id, skip=1):
            hint = (
                "After a merge the second id of the pair is used up: move on by two, not one (you kept it, so "
                "it shows up again, or joins a second overlapping pair)."
            )
        elif len(ids) and list(got) == _merge_by_hand(ids, pair, new_id)[:-1]:
            hint = "The last id went missing: the loop must also copy the final id when it is not part of a pair."
        fail(f"{name}:\n  expected {expected}\n  got      {list(got)}\n{hint}")


def _bytes(vocab, token) -> str:
    return repr(vocab[token]) if token in vocab else str(token)


def _explain_first_difference(reference, text, vocab_size, got, expected, label):
    """The first merge that differs, with the pair counts at that moment: a tie broken the other way,
    a pair that is less frequent, or one that never occurs inside a single piece."""
    if not isinstance(got, list) or any(not (isinstance(p, tuple) and len(p) == 2) for p in got):
        fail(f"{label} should return a list of pairs [(a, b), ...]; got {got!r:.200}")
    at = next((i for i, (g, e) in enumerate(zip(got, expected, strict=False)) if tuple(g) != tuple(e)), None)
    if at is None:
        fail(
            f"{label}: expected {len(expected)} merges (vocab_size {vocab_size} - 256, or fewer when no pair is "
            f"left), got {len(got)}. "
            + (
                "Stop when no pair is left: every word is a single token."
                if len(got) > len(expected)
                else "Keep merging while pairs are left, until the vocabulary has vocab_size ids."
            )
        )
    words = Counter(tuple(p.encode("utf-8")) for p in reference.pretokenize(text))
    for i, pair in enumerate(expected[:at]):
        words = _remerge(words, pair, 256 + i, reference)
    counts = _pairs_by_hand(words)
    want, mine = tuple(expected[at]), tuple(got[at])
    known = reference.build_vocab(expected[:at])  # the ids that exist before merge `at`
    want_text = f"{want} = {_bytes(known, want[0])} + {_bytes(known, want[1])}, seen {counts[want]} times"
    mine_text = f"{mine} = {_bytes(known, mine[0])} + {_bytes(known, mine[1])}"
    if mine not in counts:
        why = (
            "Your pair never occurs inside one piece of pretokenize(text). Count pairs inside each piece only: "
            "merges never cross from one word to the next (and a space belongs to the word after it)."
        )
    elif counts[mine] == counts[want]:
        why = (
            f"Both occur {counts[want]} times: a tie. Break ties by the smaller pair, comparing (a, b) as tuples: "
            "min(counts, key=lambda p: (-counts[p], p)). max(counts, key=counts.get) takes whichever pair it met first."
        )
    else:
        why = f"Yours occurs {counts[mine]} times; take the most frequent pair."
    matched = f"merges 0..{at - 1} match, merge {at}" if at else "the first merge"
    fail(f"{label}: {matched} (new id {256 + at}) differs:\n  expected {want_text}\n  got      {mine_text}\n{why}")


def _remerge(words, pair, new_id, reference):
    merged = Counter()
    for word, freq in words.items():
        merged[tuple(reference.merge_pair(list(word), pair, new_id))] += freq
    return merged


def _judge_train(ctx, text, vocab_size, label, expected=None):
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    got = mine.train(text, vocab_size)
    expected = reference.train(text, vocab_size) if expected is None else expected
    if got is not None and isinstance(got, list | tuple):
        got = [tuple(p) if isinstance(p, list | tuple) else p for p in got]
    if got != expected:
        _explain_first_difference(reference, text, vocab_size, got, expected, label)
    return got


@check.step("train")
def train(ctx):
    """train learns the same merges as the reference: within pieces, most frequent first, ties to the smaller pair."""
    train_paragraphs, _ = _paragraphs()
    cases = [
        (SENNRICH, 256 + 12, f"train({SENNRICH[:26]!r}... (Sennrich's toy corpus), vocab_size=268)"),
        ("aaa", 300, "train('aaa', vocab_size=300)"),
    ]
    for case in hidden_cases(seed=33, count=6):
        start = case.randint(0, len(train_paragraphs) - 10)
        text = _take(train_paragraphs, case.randint(200, 2500), start)
        if case.index % 2:
            text += " " + " ".join(case.rng.sample(UNSEEN, 2))
        vocab_size = case.randint(256, 256 + 60) if case.index else 256
        cases.append((text, vocab_size, f"train(text, vocab_size={vocab_size}), {case.name}, {len(text)} characters"))
    for text, vocab_size, label in cases:
        _judge_train(ctx, text, vocab_size, label)
    return "Sennrich's toy corpus, an early stop and 6 hidden samples give the reference's merges"


def _judge_vocab(mine, reference, merges, label):
    try:
        got = mine.build_vocab(list(merges))
    except ValueError as exc:
        if "bytes must be in range" not in str(exc):
            raise
        fail(
            f"{label} raised ValueError: {exc}. An id from 256 up is a merge, not a byte: its bytes are "
            "vocab[a] + vocab[b], the byte strings of the two ids it joins, not bytes([a, b])."
        )
    expected = reference.build_vocab(merges)
    if not isinstance(got, dict):
        fail(f"{label} should return a dict {{id: bytes}}, got {type(got).__name__}")
    if len(got) != len(expected):
        fail(
            f"{label}: the vocabulary should have {len(expected)} entries (256 bytes + {len(merges)} merges), "
            f"got {len(got)}"
        )
    for token in sorted(expected):
        if got.get(token) != expected[token]:
            a, b = merges[token - 256] if token >= 256 else (None, None)
            why = (
                f"id {token} is merge {token - 256} of ({a}, {b}): the bytes of id {a} followed by the bytes of "
                f"id {b}, vocab[{a}] + vocab[{b}] (build the vocabulary in merge order, so both are there)."
                if token >= 256
                else f"id {token} < 256 is the single byte bytes([{token}])."
            )
            fail(f"{label}: vocab[{token}] should be {expected[token]!r}, got {got.get(token)!r}\n{why}")


@check.step("vocab")
def vocab(ctx):
    """build_vocab maps the 256 bytes and every merge's id to the bytes it stands for."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    _judge_vocab(mine, reference, [(104, 101), (256, 108)], "build_vocab([(104, 101), (256, 108)]): 'h'+'e', 'he'+'l'")
    _judge_vocab(mine, reference, reference.train(SENNRICH, 256 + 12), "build_vocab(Sennrich's merges)")
    for case in hidden_cases(seed=34, count=4):
        merges = _reference_merges(ctx)[: case.randint(0, VOCAB_SIZE - 256)]
        _judge_vocab(mine, reference, merges, f"build_vocab(the first {len(merges)} corpus merges), {case.name}")
    ctx.metrics["vocab_size"] = len(reference.build_vocab(_reference_merges(ctx)))


def _greedy_longest(text, merges, reference):
    """What a longest-match tokenizer would give: the longest vocabulary entry at each position."""
    by_bytes = {v: k for k, v in reference.build_vocab(merges).items()}
    longest = max(len(v) for v in by_bytes)
    ids = []
    for piece in reference.pretokenize(text):
        data, i = piece.encode("utf-8"), 0
        while i < len(data):
            for size in range(min(longest, len(data) - i), 0, -1):
                if data[i : i + size] in by_bytes:
                    ids.append(by_bytes[data[i : i + size]])
                    i += size
                    break
    return ids


def _texts(seed, count):
    """Hidden texts: held-out documentation, unseen made-up words, Chinese, accents, emoji, edge cases."""
    _, heldout = _paragraphs()
    texts = []
    for case in hidden_cases(seed=seed, count=count):
        parts = [_take(heldout, case.randint(1, 400), case.randint(0, len(heldout) - 5))[: case.randint(1, 400)]]
        parts.append(" ".join("".join(case.rng.choice("qxzjkvwy") for _ in range(case.randint(3, 9))) for _ in "ab"))
        parts.append(case.rng.choice(UNSEEN))
        parts.append("".join(chr(case.randint(0x4E00, 0x9FFF)) for _ in range(case.randint(1, 6))))
        case.rng.shuffle(parts)
        texts.append((" ".join(parts), case.name))
    return [*texts, ("", "the empty text"), ("   \n\n  ", "whitespace only")]


def _describe_ids(ids, vocab):
    return (
        "["
        + ", ".join(f"{i} {vocab[i]!r}" if i in vocab else str(i) for i in ids[:12])
        + (", ...]" if len(ids) > 12 else "]")
    )


@check.step("encode")
def encode(ctx):
    """encode applies the merges in the order learned, inside each piece; not a longest match."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    cases = [
        ("abc", [(98, 99), (97, 98)], "encode('abc', merges=[(98, 99), (97, 98)]): 'bc' was learned first"),
        ("lowest newer", reference.train(SENNRICH, 256 + 12), "encode('lowest newer', Sennrich's merges)"),
    ]
    cases += [(text, None, f"encode(text, the corpus merges), {name}") for text, name in _texts(35, 8)]
    for text, case_merges, label in cases:
        case_merges = _reference_merges(ctx) if case_merges is None else case_merges
        got = mine.encode(text, list(case_merges))
        expected = reference.encode(text, case_merges)
        if got is None:
            fail(f"{label} returned None: return the list of ids")
        got = list(got)
        if got == expected:
            continue
        vocab = reference.build_vocab(case_merges)
        hint = (
            "Within each piece of pretokenize(text), start from its UTF-8 bytes and apply merge 0 wherever it "
            "fits, then merge 1, and so on (or, equivalently, repeatedly merge the present pair with the lowest "
            "merge index)."
        )
        if got == _greedy_longest(text, case_merges, reference):
            hint = (
                "That is a greedy longest match: the longest vocabulary entry at each position. BPE is not that: "
                "it replays the merges in the order they were learned, so a pair learned early wins even when a "
                "longer token could start elsewhere"
                + (" (here 'bc' was learned before 'ab')." if text == "abc" else ".")
            )
        elif got == _without_pieces(text, case_merges):
            hint = "Encode each piece of pretokenize(text) on its own: merges never cross from one piece to the next."
        fail(
            f"{label}, {len(text)} characters:\n  expected {_describe_ids(expected, vocab)} ({len(expected)} ids)\n"
            f"  got      {_describe_ids(got, vocab)} ({len(got)} ids)\n{hint}"
        )
    return f"2 visible texts and {len(cases) - 2} hidden ones (unseen words, Chinese, emoji, empty) match the reference"


def _without_pieces(text, merges):
    """encode with the whole text as one piece (no pre-tokenisation)."""
    ids = list(text.encode("utf-8"))
    for i, pair in enumerate(merges):
        out, j = [], 0
        while j < len(ids):
            if j + 1 < len(ids) and (ids[j], ids[j + 1]) == tuple(pair):
                out.append(256 + i)
                j += 2
            else:
                out.append(ids[j])
                j += 1
        ids = out
    return ids


@check.step("decode")
def decode(ctx):
    """decode joins the bytes of every id and decodes UTF-8 once: decode(encode(text)) == text."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    visible = "BPE 分词 works: naïve café 🙂"
    cases = [(visible, None, f"decode(ids of {visible!r}, Sennrich's merges)")]
    cases += [(text, True, f"decode(ids of a text, the corpus merges), {name}") for text, name in _texts(36, 8)]
    for text, corpus_merges, label in cases:
        merges = _reference_merges(ctx) if corpus_merges else reference.train(SENNRICH, 256 + 12)
        ids = reference.encode(text, merges)
        got = mine.decode(list(ids), list(merges))
        if got == text:
            continue
        hint = "b''.join(vocab[i] for i in ids).decode('utf-8', errors='replace'): join all the bytes first."
        if isinstance(got, str) and "\ufffd" in got:
            hint = (
                "U+FFFD replacement characters: a character's UTF-8 bytes were decoded apart. A Chinese character "
                "is 3 bytes and an emoji 4, often in separate tokens; join the bytes of all ids, then decode once."
            )
        elif isinstance(got, bytes):
            hint = "decode returns a str: .decode('utf-8', errors='replace') the joined bytes."
        fail(f"{label}:\n  expected {text[:80]!r}\n  got      {got!r:.80}\n{hint}")
    merges = _reference_merges(ctx)
    for text, name in _texts(37, 4):
        back = mine.decode(mine.encode(text, list(merges)), list(merges))
        if back != text:
            fail(f"decode(encode(text)) != text with your own encode, {name}: got {back!r:.80}")
    return "the visible text, 10 hidden ones and 4 round trips through your encode come back exactly"


@check.step("corpus", needs=["train", "vocab", "encode", "decode"])
def corpus_step(ctx):
    """Merges learned on the sampled corpus match the reference; held-out text compresses and round-trips."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    text, heldout = corpus()
    expected = _reference_merges(ctx)
    merges = _judge_train(
        ctx, text, VOCAB_SIZE, f"train(the {len(text):,}-character corpus, vocab_size={VOCAB_SIZE})", expected
    )
    vocabulary = mine.build_vocab(merges)
    ids = mine.encode(heldout, merges)
    if list(ids) != reference.encode(heldout, expected):
        fail("encode(held-out text) with your merges differs from the reference's ids")
    if mine.decode(ids, merges) != heldout:
        fail("decode(encode(held-out text)) is not the held-out text")
    raw = len(heldout.encode("utf-8"))
    ctx.metrics.update(
        vocab_size=len(vocabulary),
        merges=len(merges),
        heldout_bytes=raw,
        heldout_tokens=len(ids),
        bytes_per_token=round(raw / max(1, len(ids)), 3),
    )
    if len(vocabulary) != VOCAB_SIZE:
        fail(f"the vocabulary has {len(vocabulary)} ids, expected {VOCAB_SIZE}")
    first = ", ".join(repr(vocabulary[256 + i].decode("utf-8", errors="replace")) for i in range(8))
    return (
        f"{len(vocabulary)} ids; first merges {first}; the {raw:,} held-out bytes become {len(ids):,} tokens "
        f"({raw / len(ids):.2f} bytes per token) and decode back exactly"
    )

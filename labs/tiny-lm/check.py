"""Check for the tiny-lm lab: a character-level language model on CPython's bundled
pydoc_data.topics (no download). Seven steps: the vocabulary round trip, batches shifted by one
character, the model's output shape and causality, the loss against F.cross_entropy, the
learner's perplexity against the check's own, a seeded training run judged by held-out
perplexity (computed here from the model's logits, next to the unigram baseline), and sampling.
"""

import functools
import math
import time

import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, hidden_cases, seed_everything

check = Check()
FILE = "charlm.py"
TRAIN_CHARS = 200_000  # the first 200K characters train the model
HELDOUT_CHARS = 20_000  # the next 20K judge it
MAX_PERPLEXITY = 8.0  # the reference reaches about 5.5-6; the unigram baseline is about 25
EVAL_BATCH = 10  # the check's own held-out evaluation: 10 parallel streams of 2,000 characters
_trained = {}  # the model the train step built, for the sample step


@functools.lru_cache(maxsize=1)
def corpus() -> tuple[str, str]:
    """(train, held-out) text: the pydoc topics in key order, joined, then sliced."""
    from pydoc_data.topics import topics

    text = "".join(topics[key] for key in sorted(topics))
    return text[:TRAIN_CHARS], text[TRAIN_CHARS : TRAIN_CHARS + HELDOUT_CHARS]


def _one_thread(ctx):
    """On the CPU, run the model on one thread. A small recurrent model is a long chain of tiny
    matrix products: splitting each over threads costs more than it saves, and on a busy
    2-core machine far more (measured there: 2 s for the model step on two threads, 0.02 s on one)."""
    if ctx.device.type == "cpu":
        torch.set_num_threads(1)


def _randint(generator, high, *shape, device):
    """Random ids drawn on the CPU, then moved: every device judges the same numbers."""
    return torch.randint(high, shape, generator=generator).to(device)


def _vocab_list(got, text):
    """build_vocab's answer as a list, or a failure that says what it should be."""
    if isinstance(got, dict):
        fail(
            f"build_vocab({text if text == 'the corpus' else repr(text)}) returned a dict; it should return a list "
            "of the distinct characters, sorted (sorted(set(text))), so that vocab[i] is the character with id i. "
            "Build the character -> id dict inside encode."
        )
    if not isinstance(got, (list, tuple, str)):
        fail(f"build_vocab should return a list of characters (sorted(set(text))), got {type(got).__name__}")
    return list(got)


@check.step("vocab")
def vocab(ctx):
    """build_vocab, encode and decode: sorted characters, int64 ids, a lossless round trip."""
    mine = ctx.learner(FILE)
    text = "hello world"
    got = _vocab_list(mine.build_vocab(text), text)
    if got != sorted(set(text)):
        fail(
            f"build_vocab({text!r}): expected {sorted(set(text))}, got {got!r}\n"
            "The vocabulary is the distinct characters, sorted: sorted(set(text))."
        )
    ids = mine.encode("hello", got)
    expected = torch.tensor([got.index(c) for c in "hello"])
    hint = "encode maps each character to its position in vocab, as an int64 tensor (nn.Embedding needs int64)."
    assert_close(ids, expected, name="encode('hello', build_vocab('hello world'))", hint=hint)
    back = mine.decode(ids, got)
    if back != "hello":
        fail(f"decode(encode('hello')) gave {back!r}, expected 'hello'; decode joins vocab[i] for each id.")
    train, heldout = corpus()
    full = train + heldout
    chars = _vocab_list(mine.build_vocab(full), "the corpus")
    if chars != sorted(set(full)):
        fail(f"build_vocab(corpus) has {len(chars)} entries, expected the {len(set(full))} distinct characters, sorted")
    for case in hidden_cases(seed=21, count=6):
        start = case.randint(0, len(full) - 400)
        piece = full[start : start + case.randint(1, 400)]
        ids = mine.encode(piece, chars)
        assert_close(
            ids,
            torch.tensor([chars.index(c) for c in piece]),
            name=f"encode(text, vocab), {case.name}, {len(piece)} characters",
            hint=hint,
        )
        if mine.decode(ids, chars) != piece:
            fail(f"decode(encode(text)) != text, {case.name} ({len(piece)} characters from offset {start})")
    ids = mine.encode(full, chars)
    if mine.decode(ids, chars) != full:
        fail("decode(encode(corpus)) is not the corpus: the round trip loses characters somewhere")
    ctx.metrics["vocab_size"] = len(chars)
    return f"{len(chars)} characters; the {len(full):,}-character corpus round-trips"


def _describe_pair(x, y) -> str:
    return f"x[0] = {x[0].tolist()}\ny[0] = {y[0].tolist()}"


@check.step("batches")
def batches(ctx):
    """make_batches: (batch, seq) inputs and the targets one character later, in parallel streams."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    data = torch.arange(41, device=ctx.device)  # ids equal to positions: x + 1 is the next character
    pairs = list(mine.make_batches(data, 4, 4))
    expected = reference.make_batches(data, 4, 4)
    call = "make_batches(torch.arange(41), batch_size=4, seq_len=4)"
    if len(pairs) != len(expected):
        fail(
            f"{call}: expected {len(expected)} (x, y) chunks, got {len(pairs)}. With n = (41 - 1) // 4 = 10 "
            "characters per stream and seq_len 4, the chunks start at 0, 4 and 8 (the last has 2 columns)."
        )
    for k, ((x, y), (ex, ey)) in enumerate(zip(pairs, expected, strict=True)):
        assert_shape(x, ex.shape, name=f"{call}, x of chunk {k}")
        assert_shape(y, ey.shape, name=f"{call}, y of chunk {k}")
        if torch.equal(y, x):
            fail(
                f"{call}, chunk {k}: the targets are the inputs themselves.\n{_describe_pair(x, y)}\n"
                "A language model predicts the NEXT character: y must be the same span one position later "
                "(here y == x + 1). With y == x the model learns to copy its input: a training loss near 0 "
                "and nothing learned about text."
            )
        if not torch.equal(y, x + 1):
            fail(
                f"{call}, chunk {k}: y is not x shifted by one character (with data = arange, y should be x + 1)."
                f"\n{_describe_pair(x, y)}\nTake the targets from data[1 : B*n + 1], the inputs from data[: B*n]."
            )
        hint = (
            "Lay the data out as batch_size streams, data[: B*n].reshape(B, n), then cut columns "
            "[i, i + seq_len): row b of chunk k+1 must continue row b of chunk k."
        )
        assert_close(x, ex, name=f"{call}, x of chunk {k}", hint=hint)
        assert_close(y, ey, name=f"{call}, y of chunk {k}", hint=hint)
    for case in hidden_cases(seed=22, count=8):
        b, t = case.randint(1, 6), case.randint(1, 12)
        n = case.randint(1, 5 * t)
        data = torch.randint(60, (b * n + 1 + case.randint(0, b - 1),), generator=case.generator).to(ctx.device)
        pairs, expected = list(mine.make_batches(data, b, t)), reference.make_batches(data, b, t)
        call = f"make_batches(data of length {data.shape[0]}, batch_size={b}, seq_len={t}), {case.name}"
        if len(pairs) != len(expected):
            fail(f"{call}: expected {len(expected)} chunks, got {len(pairs)}")
        for k, ((x, y), (ex, ey)) in enumerate(zip(pairs, expected, strict=True)):
            assert_close(x, ex, name=f"{call}, x of chunk {k}")
            assert_close(y, ey, name=f"{call}, y of chunk {k}")


def _forward(model, x, state=None):
    out = model(x, state)
    if not (isinstance(out, tuple) and len(out) == 2):
        fail(f"model(x, state) should return a pair (logits, state), got {type(out).__name__}")
    return out


@check.step("model")
def model_step(ctx):
    """CharLM(vocab_size): logits (B, T, V), causal, and a returned state continues the sequence."""
    mine = ctx.learner(FILE)
    _one_thread(ctx)
    vocab_size = 37
    seed_everything(0)
    model = mine.CharLM(vocab_size).to(ctx.device).eval()
    g = torch.Generator().manual_seed(5)
    shapes = [(2, 12), (1, 1)]
    for case in hidden_cases(seed=23, count=4):
        shapes.append((case.randint(1, 4), case.randint(1, 20)))
    with torch.no_grad():
        for b, t in shapes:
            logits, _ = _forward(model, _randint(g, vocab_size, b, t, device=ctx.device))
            assert_shape(
                logits,
                (b, t, vocab_size),
                name=f"logits of CharLM({vocab_size}) on x of shape ({b}, {t})",
                hint="One score per vocabulary entry at every position: (batch, seq, vocab_size).",
            )
        x = _randint(g, vocab_size, 2, 12, device=ctx.device)
        logits, state = _forward(model, x)
        changed = x.clone()
        changed[:, 6:] = (changed[:, 6:] + 1) % vocab_size
        logits_changed, _ = _forward(model, changed)
        assert_close(
            logits_changed[:, :6],
            logits[:, :6],
            rtol=1e-3,
            atol=1e-4,
            name="logits[:, :6] after changing only x[:, 6:]",
            hint="The model looks at future characters: logits[:, t] may depend on x[:, :t+1] only "
            "(a Transformer needs a causal mask).",
        )
        if state is not None:
            first, state_6 = _forward(model, x[:, :6])
            rest, _ = _forward(model, x[:, 6:], state_6)
            assert_close(
                torch.cat([first, rest], dim=1),
                logits,
                rtol=1e-3,
                atol=1e-4,
                name="logits of x[:, :6] then x[:, 6:] with the returned state, against one call on x",
                hint="Feeding the returned state back should continue the sequence: pass it to the RNN.",
            )
    ctx.metrics["parameters"] = sum(p.numel() for p in model.parameters())
    return f"{ctx.metrics['parameters']:,} parameters; causal; logits (B, T, {vocab_size})"


@check.step("loss")
def loss(ctx):
    """lm_loss equals F.cross_entropy on the flattened logits and targets."""
    mine = ctx.learner(FILE)
    hint = (
        "Flatten to (B*T, V) logits and (B*T,) targets and call F.cross_entropy: it applies log_softmax "
        "itself, so pass raw logits (no softmax first)."
    )
    g = torch.Generator().manual_seed(6)
    cases = [("visible case", 2, 3, 5)]
    for case in hidden_cases(seed=24, count=8):
        cases.append((case.name, case.randint(1, 5), case.randint(1, 9), case.randint(2, 30)))
    for label, b, t, v in cases:
        logits = (3 * torch.randn(b, t, v, generator=g)).to(ctx.device).requires_grad_(True)
        targets = _randint(g, v, b, t, device=ctx.device)
        got = mine.lm_loss(logits, targets)
        expected = F.cross_entropy(logits.reshape(-1, v), targets.reshape(-1))
        name = f"lm_loss(logits ({b}, {t}, {v}), targets ({b}, {t})), {label}"
        assert_close(got, expected, rtol=1e-5, atol=1e-6, name=name, hint=hint)
        if not got.requires_grad:
            fail(f"{name} does not require grad: keep it a tensor in the graph (no .item(), no torch.no_grad())")


def _perplexity(model, data, seq_len):
    """The check's own held-out figures: mean NLL (nats) over every predicted character,
    carrying the state across chunks of EVAL_BATCH parallel streams."""
    n = (data.shape[0] - 1) // EVAL_BATCH
    inputs = data[: EVAL_BATCH * n].reshape(EVAL_BATCH, n)
    targets = data[1 : EVAL_BATCH * n + 1].reshape(EVAL_BATCH, n)
    model.eval()
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for i in range(0, n, seq_len):
            logits, state = _forward(model, inputs[:, i : i + seq_len], state)
            y = targets[:, i : i + seq_len]
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), y.reshape(-1), reduction="sum")
            count += y.numel()
    return float(total) / count


@check.step("evaluate", needs=["model"])
def evaluate(ctx):
    """evaluate returns bits per character and perplexity from the mean NLL in nats."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    _one_thread(ctx)
    train, heldout = corpus()
    vocab = sorted(set(train + heldout))
    ids = reference.encode(heldout, vocab).to(ctx.device)
    # (streams, chunk length, chunks, extra columns): the last two cases end on a short chunk, where a
    # mean of per-batch means weighs the few characters of that chunk as much as a whole batch
    for seed, (b, t, chunks, extra) in enumerate([(4, 32, 3, 0), (2, 16, 5, 3), (3, 8, 4, 1)]):
        seed_everything(30 + seed)
        model = mine.CharLM(len(vocab)).to(ctx.device)
        data = ids[: b * (t * chunks + extra) + 1]
        got = mine.evaluate(model, reference.make_batches(data, b, t))
        # the same figures from the model's logits, computed here
        model.eval()
        total, count, means, state = 0.0, 0, [], None
        with torch.no_grad():
            for x, y in reference.make_batches(data, b, t):
                logits, state = _forward(model, x, state)
                loss = float(F.cross_entropy(logits.reshape(-1, len(vocab)), y.reshape(-1), reduction="sum"))
                total, count = total + loss, count + y.numel()
                means.append(loss / y.numel())
        nll = total / count
        batch_means = sum(means) / len(means)
        chunks_text = f"{chunks} batches of ({b}, {t})" + (f" and a last one of ({b}, {extra})" if extra else "")
        name = f"evaluate(untrained model, {chunks_text})"
        if not (isinstance(got, tuple) and len(got) == 2):
            fail(f"{name} should return a pair (bits_per_char, perplexity), got {got!r}")
        bpc, ppl = got
        if extra and math.isclose(float(bpc), batch_means / math.log(2), rel_tol=1e-5):
            fail(
                f"{name}: your bits per character, {float(bpc):.5f}, are the mean of the per-batch means; the "
                f"mean over all {count} characters is {nll / math.log(2):.5f}. The last batch is shorter, so "
                "sum the losses (reduction='sum') and divide by the number of characters."
            )
        assert_close(
            bpc,
            nll / math.log(2),
            rtol=1e-4,
            name=f"bits per character from {name}",
            hint=f"The mean NLL here is {nll:.4f} nats (cross_entropy uses ln); bits = nats / ln 2"
            + (" (you returned the nats)." if math.isclose(float(bpc), nll, rel_tol=1e-4) else "."),
        )
        likely = ""
        if math.isclose(float(ppl), 2**nll, rel_tol=1e-4):
            likely = f" You returned 2 ** {nll:.4f}: that mixes a log2 base with a mean NLL in nats."
        assert_close(
            ppl,
            math.exp(nll),
            rtol=1e-4,
            name=f"perplexity from {name}",
            hint=f"Perplexity is exp(mean NLL in nats) = 2 ** (bits per char) = {math.exp(nll):.4f}.{likely}",
        )


def _unigram_perplexity(train_ids, heldout_ids, vocab_size):
    """Baseline: each character's frequency in the training text (add-one smoothing)."""
    counts = torch.bincount(train_ids.cpu(), minlength=vocab_size).double() + 1
    log_p = (counts / counts.sum()).log()
    return math.exp(-log_p[heldout_ids.cpu()[1:]].mean().item())


_DETACH_HINT = (
    "The hidden state carried from one batch to the next still holds the graph of the previous "
    "batches, so backward() runs into a graph it already freed. Detach it at the start of each "
    "batch (state = tuple(s.detach() for s in state) for an LSTM, state.detach() for a GRU): "
    "truncated backpropagation through time keeps the values but cuts the graph."
)


@check.step("train", needs=["vocab", "batches", "model", "loss"])
def train(ctx):
    """A seeded training run reaches a held-out perplexity well below the unigram baseline."""
    mine = ctx.learner(FILE)
    train_text, heldout_text = corpus()
    vocab = mine.build_vocab(train_text + heldout_text)
    train_ids = mine.encode(train_text, vocab).to(ctx.device)
    heldout_ids = mine.encode(heldout_text, vocab).to(ctx.device)
    epochs, seq_len = int(mine.EPOCHS), int(mine.SEQ_LEN)
    batches = mine.make_batches(train_ids, int(mine.BATCH_SIZE), seq_len)
    seed_everything(0)
    model = mine.CharLM(len(vocab)).to(ctx.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=float(mine.LEARNING_RATE))
    _one_thread(ctx)
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        try:
            train_loss = mine.train_epoch(model, optimizer, batches)
        except RuntimeError as exc:
            text = str(exc)
            if "backward through the graph a second time" in text or "modified by an inplace" in text:
                fail(f"train_epoch raised: {text.split('. ')[0]}.\n{_DETACH_HINT}")
            raise
        ctx.progress(epoch, epochs, loss=train_loss)
    seconds = time.perf_counter() - started
    nll = _perplexity(model, heldout_ids, seq_len)
    ppl, unigram = math.exp(nll), _unigram_perplexity(train_ids, heldout_ids, len(vocab))
    _trained.update(model=model, vocab=vocab)
    ctx.metrics.update(
        heldout_ppl=round(ppl, 3),
        heldout_bpc=round(nll / math.log(2), 3),
        unigram_ppl=round(unigram, 3),
        train_loss=round(float(train_loss), 4),
        train_seconds=round(seconds, 1),
    )
    summary = (
        f"held-out perplexity {ppl:.2f} ({nll / math.log(2):.2f} bits per character) after {epochs} epochs "
        f"in {seconds:.1f} s; the unigram baseline is {unigram:.2f}"
    )
    if not ppl <= MAX_PERPLEXITY:
        fail(
            f"{summary}; the goal is {MAX_PERPLEXITY:g} or lower.\nTraining loss ended at {float(train_loss):.3f} "
            "nats. Is the learning rate sensible (Adam, about 3e-3 to 1e-2)? Does train_epoch call "
            "optimizer.zero_grad() and optimizer.step() every batch? Is the model big enough (a hidden "
            "size of 128 is plenty)?"
        )
    return summary


@check.step("sample", needs=["vocab"])
def sample(ctx):
    """sample returns n characters from the vocabulary, the same ones for the same generator seed."""
    mine = ctx.learner(FILE)
    _one_thread(ctx)
    if "model" in _trained:
        model, vocab = _trained["model"], _trained["vocab"]
    else:  # the train step did not pass: judge sampling on an untrained model
        train_text, heldout_text = corpus()
        vocab = sorted(set(train_text + heldout_text))
        seed_everything(0)
        model = mine.CharLM(len(vocab)).to(ctx.device)
    texts = {}
    for seed, n in [(1, 80), (1, 80), (2, 80), (3, 1), (4, 0)]:
        got = mine.sample(model, vocab, "The ", n, torch.Generator().manual_seed(seed))
        name = f"sample(model, vocab, 'The ', n={n}, generator seeded {seed})"
        if not isinstance(got, str):
            fail(f"{name} should return a str, got {type(got).__name__}; decode the ids you drew")
        if len(got) != n:
            fail(f"{name} returned {len(got)} characters, expected {n} (the new characters only, not the prefix)")
        stray = sorted(set(got) - set(vocab))
        if stray:
            fail(f"{name} returned characters outside the vocabulary: {stray}")
        if seed in texts and got != texts[seed]:
            fail(
                f"{name} gave different text on two calls with the same seed:\n{texts[seed]!r}\n{got!r}\n"
                "Draw every character with torch.multinomial(probs.cpu(), 1, generator=generator), and only "
                "with that generator."
            )
        texts[seed] = got
    if texts[1] == texts[2]:
        fail(
            "sample gave the same 80 characters for generator seeds 1 and 2: it is not sampling. Draw from "
            "softmax(logits) with torch.multinomial instead of taking the argmax."
        )
    return f"'The ' + {texts[1]!r}"

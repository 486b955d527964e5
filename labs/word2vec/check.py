"""Check for the word2vec lab: skip-gram with negative sampling on a corpus generated from a
small grammar whose words come in classes (animals, colours, numbers, verbs, places) that fill
interchangeable slots. Five steps: window pairs, the unigram^0.75 negative distribution and its
sampler, the SGNS loss against the formula computed here, the hand-written gradient against
float64 centred differences, and a seeded training run judged by nearest neighbours and by
within-class against cross-class cosine similarity.
"""

import functools
import math
import random
import time
from collections import Counter

import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, grad_check, hidden_cases, seed_everything

check = Check()
FILE = "skipgram.py"
WINDOW = 2
NEIGHBOURS = 3  # nearest neighbours looked at per class word
MIN_PURITY = 0.8  # share of those neighbours in the word's own class (the reference: 1.0)
MIN_GAP = 0.3  # mean within-class cosine minus mean cross-class cosine (the reference: about 0.75)
MAX_HELDOUT_RATIO = 0.75  # held-out SGNS loss over the untrained one, (K + 1) ln 2 (the reference: about 0.48)

CLASSES = {
    "animal": ["cat", "dog", "horse", "cow", "sheep", "goat", "pig", "fox"],
    "colour": ["red", "green", "blue", "yellow", "white", "black", "brown", "grey"],
    "number": ["two", "three", "four", "five", "six", "seven", "eight", "nine"],
    "verb": ["runs", "jumps", "sleeps", "eats", "walks", "swims", "sits", "hides"],
    "place": ["park", "field", "barn", "river", "garden", "forest", "house", "hill"],
}
TEMPLATES = [
    "the {colour} {animal} {verb} in the {place}",
    "i saw {number} {colour} {animal} near the {place}",
    "a {animal} {verb} and a {animal} {verb}",
    "my {animal} {verb} by the {colour} {place}",
    "there are {number} {animal} in the {place}",
    "{number} plus {number} is {number}",
    "the {place} is {colour}",
    "every {animal} {verb} at {number}",
]


def generate(sentences: int, seed: int) -> list[list[str]]:
    """Sentences from TEMPLATES, each slot filled with a uniformly chosen word of its class
    (Python's random, so the corpus is the same with any torch version)."""
    rng = random.Random(seed)
    corpus = []
    for _ in range(sentences):
        words = []
        for token in rng.choice(TEMPLATES).split():
            words.append(rng.choice(CLASSES[token[1:-1]]) if token.startswith("{") else token)
        corpus.append(words)
    return corpus


@functools.lru_cache(maxsize=1)
def corpus():
    """(vocabulary, training sentences as ids, held-out sentences as ids)."""
    train, heldout = generate(3000, seed=0), generate(500, seed=1)
    vocab = sorted({w for sentence in train for w in sentence})
    index = {w: i for i, w in enumerate(vocab)}
    return vocab, [[index[w] for w in s] for s in train], [[index[w] for w in s] for s in heldout]


def _one_thread(ctx):
    """On the CPU, train on one thread: each batch is a few tiny matrix products, and splitting
    them over threads costs more than it saves; on a busy 2-core machine 30 times more
    (measured there: 12 s on two threads, 0.4 s on one)."""
    if ctx.device.type == "cpu":
        torch.set_num_threads(1)


def _pairs_message(call, got, expected) -> str:
    got_rows, want_rows = Counter(map(tuple, got.tolist())), Counter(map(tuple, expected.tolist()))
    missing, extra = sorted((want_rows - got_rows).elements()), sorted((got_rows - want_rows).elements())
    lines = [f"{call}: expected {expected.shape[0]} (centre, context) pairs, got {got.shape[0]}"]
    if missing:
        lines.append(f"missing: {missing[:8]}{' ...' if len(missing) > 8 else ''}")
    if extra:
        lines.append(f"unexpected: {extra[:8]}{' ...' if len(extra) > 8 else ''}")
    if any(c == o for c, o in extra):
        lines.append("A word at position i is not its own context: skip j == i.")
    elif missing and not extra:
        lines.append(
            "Each centre has up to `window` neighbours on EACH side: j runs from i - window to i + window "
            "inclusive (range's end is exclusive)."
        )
    elif extra:
        lines.append("Pairs stay inside one sentence and within `window` positions of the centre.")
    return "\n".join(lines)


def _compare_pairs(call, got, expected):
    if not isinstance(got, torch.Tensor):
        fail(f"{call} should return a torch.Tensor of shape (P, 2), got {type(got).__name__}")
    if got.ndim != 2 or got.shape[1] != 2:
        fail(f"{call}: expected shape (P, 2), one (centre, context) row per pair, got {tuple(got.shape)}")
    if Counter(map(tuple, got.tolist())) != Counter(map(tuple, expected.tolist())):
        fail(_pairs_message(call, got, expected))
    if got.dtype != torch.long:
        fail(f"{call}: expected dtype int64 (word ids index nn.Embedding), got {got.dtype}")


@check.step("pairs")
def pairs(ctx):
    """make_pairs: every (centre, context) pair within the window, inside each sentence."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    visible = [([[10, 11, 12, 13, 14]], 2), ([[1, 2, 3], [4, 5]], 1), ([[7]], 3)]
    for sentences, window in visible:
        call = f"make_pairs({sentences}, window={window})"
        _compare_pairs(call, mine.make_pairs(sentences, window), reference.make_pairs(sentences, window))
    for case in hidden_cases(seed=41, count=10):
        sentences = [[case.randint(0, 20) for _ in range(case.randint(1, 9))] for _ in range(case.randint(1, 4))]
        window = case.randint(1, 4)
        call = f"make_pairs(sentences, window={window}), {case.name}, sentences {sentences}"
        _compare_pairs(call, mine.make_pairs(sentences, window), reference.make_pairs(sentences, window))


def _floating(got, name):
    """Probabilities in any float dtype (float32 or float64 both hold them exactly enough)."""
    if isinstance(got, torch.Tensor) and not got.is_floating_point():
        fail(f"{name}: expected float probabilities, got {got.dtype}; divide in floating point (counts.double())")


@check.step("negatives")
def negatives(ctx):
    """negative_distribution is unigram^0.75, normalised; sample_negatives draws from it."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    counts = torch.tensor([1, 16, 81, 0, 256], device=ctx.device)
    got = mine.negative_distribution(counts)
    expected = reference.negative_distribution(counts)  # [1, 8, 27, 0, 64] / 100
    likely = "Raise the counts to the power 0.75, then divide by the sum so the probabilities add up to 1."
    _floating(got, "negative_distribution(counts [1, 16, 81, 0, 256])")
    if isinstance(got, torch.Tensor) and got.shape == counts.shape:
        plain = counts.double() / counts.sum()
        if torch.allclose(got.double().cpu(), plain.cpu(), atol=1e-6):
            likely = "These are the raw unigram frequencies: word2vec raises the counts to 0.75 first."
        elif torch.allclose(got.double().cpu(), torch.full((5,), 0.2, dtype=torch.float64), atol=1e-6):
            likely = "This is uniform: negatives should follow counts ** 0.75."
    assert_close(
        got,
        expected,
        rtol=1e-5,
        atol=1e-7,
        name="negative_distribution(counts [1, 16, 81, 0, 256]), expected [1, 8, 27, 0, 64] / 100",
        hint=likely,
        check_dtype=False,  # any float dtype: the values are what matter
    )
    for case in hidden_cases(seed=42, count=6):
        counts = torch.randint(0, 1000, (case.randint(1, 30),), generator=case.generator)
        counts[0] += 1  # at least one word was seen
        counts = counts.to(ctx.device)
        got = mine.negative_distribution(counts)
        name = f"negative_distribution(counts of {counts.shape[0]} words), {case.name}"
        _floating(got, name)
        assert_close(
            got,
            reference.negative_distribution(counts),
            rtol=1e-5,
            atol=1e-7,
            name=name,
            hint="probabilities proportional to counts ** 0.75, summing to 1",
            check_dtype=False,
        )
    probs = expected
    for shape in [(3, 4), (7,), (2, 3, 5)]:
        draw = mine.sample_negatives(probs, shape, torch.Generator().manual_seed(1))
        name = f"sample_negatives(probs, {shape}, generator)"
        if not isinstance(draw, torch.Tensor):
            fail(f"{name} should return a tensor of word ids, got {type(draw).__name__}")
        assert_shape(draw, shape, name=name)
        if draw.dtype != torch.long or draw.device.type != probs.device.type:
            fail(f"{name}: expected int64 ids on {probs.device.type}, got {draw.dtype} on {draw.device.type}")
        again = mine.sample_negatives(probs, shape, torch.Generator().manual_seed(1))
        if not torch.equal(draw, again):
            fail(f"{name} drew different ids from two generators with the same seed: draw with that generator only")
    draws = 200_000
    ids = mine.sample_negatives(probs, (draws,), torch.Generator().manual_seed(2)).cpu()
    if ids.min() < 0 or ids.max() >= probs.shape[0]:
        fail(f"sample_negatives drew ids outside [0, {probs.shape[0]}): min {int(ids.min())}, max {int(ids.max())}")
    freq = torch.bincount(ids, minlength=probs.shape[0]).double() / draws
    want = probs.double().cpu()
    if (freq - want).abs().max() > 0.01:
        shown = ", ".join(f"{f:.3f}" for f in freq.tolist())
        hint = "Draw with torch.multinomial(probs, n, replacement=True, generator=generator)"
        if (freq - 1 / probs.shape[0]).abs().max() < 0.01:
            hint = "These are uniform draws: frequent words must come up more often, as probs says. " + hint
        fail(
            f"{draws:,} draws of sample_negatives(probs, ({draws},)): frequencies [{shown}], expected about "
            f"[0.010, 0.080, 0.270, 0.000, 0.640] (within 0.01).\n{hint}."
        )
    return "probabilities follow counts ** 0.75; 200,000 draws match them"


def _reference_loss(v, u_pos, u_neg):
    """-log sigmoid(u_o . v_c) - sum_k log sigmoid(-u_k . v_c), averaged over the batch."""
    positive = (u_pos * v).sum(-1)
    negative = (u_neg * v[:, None, :]).sum(-1)
    return -(F.logsigmoid(positive) + F.logsigmoid(-negative).sum(-1)).mean()


def _vectors(generator, b, k, d, scale, device, dtype=torch.float32):
    draw = [torch.randn(*shape, generator=generator, dtype=dtype) * scale for shape in [(b, d), (b, d), (b, k, d)]]
    return [t.to(device) for t in draw]


@check.step("loss")
def loss(ctx):
    """sgns_loss matches the formula with log-sigmoids; SkipGram looks centres up in in_embed."""
    mine = ctx.learner(FILE)
    hint = (
        "Loss = mean over the batch of -log sigmoid(u_o . v_c) - sum_k log sigmoid(-u_k . v_c): the true "
        "context should score high and each negative low, so the negative scores enter with a minus sign."
    )
    g = torch.Generator().manual_seed(7)
    cases = [("visible case", 2, 3, 4, 1.0)]
    for case in hidden_cases(seed=43, count=8):
        cases.append((case.name, case.randint(1, 6), case.randint(1, 6), case.randint(1, 9), 1.0))
    cases.append(("large scores", 3, 2, 8, 10.0))
    for label, b, k, d, scale in cases:
        v, u_pos, u_neg = _vectors(g, b, k, d, scale, ctx.device)
        name = f"sgns_loss(v ({b}, {d}), u_context ({b}, {d}), u_negatives ({b}, {k}, {d})), {label}"
        got = mine.sgns_loss(v, u_pos, u_neg)
        if scale > 1:  # the formula already passed on small scores: this case is about stability
            hint = (
                "With scores of about +-100, log(sigmoid(x)) underflows to log(0) = -inf: use F.logsigmoid, "
                "which is exact for any x."
            )
        assert_close(got, _reference_loss(v, u_pos, u_neg), rtol=1e-5, atol=1e-5, name=name, hint=hint)
    seed_everything(0)
    model = mine.SkipGram(11, 6).to(ctx.device)
    with torch.no_grad():  # random tables, so that swapping them shows
        model.in_embed.weight.copy_(torch.randn(11, 6, generator=g).to(ctx.device))
        model.out_embed.weight.copy_(torch.randn(11, 6, generator=g).to(ctx.device))
    centre, context = torch.randint(11, (5,), generator=g), torch.randint(11, (5,), generator=g)
    neg = torch.randint(11, (5, 3), generator=g)
    centre, context, neg = centre.to(ctx.device), context.to(ctx.device), neg.to(ctx.device)
    got = model(centre, context, neg)
    w_in, w_out = model.in_embed.weight, model.out_embed.weight
    assert_close(
        got,
        _reference_loss(w_in[centre], w_out[context], w_out[neg]),
        rtol=1e-5,
        atol=1e-5,
        name="SkipGram(11, 6)(centre (5,), context (5,), negatives (5, 3))",
        hint="The centre word's vector comes from in_embed; the context and negative vectors from out_embed.",
    )
    if not got.requires_grad:
        fail("SkipGram's loss does not require grad: keep it in the graph (no .item(), no torch.no_grad())")


@check.step("gradient")
def gradient(ctx):
    """sgns_grad agrees with float64 centred differences of the loss."""
    mine = ctx.learner(FILE)
    names = ["d v_centre", "d u_context", "d u_negatives"]
    hints = [
        "d v_c = ((sigmoid(u_o . v_c) - 1) u_o + sum_k sigmoid(u_k . v_c) u_k) / B",
        "d u_o = (sigmoid(u_o . v_c) - 1) v_c / B",
        "d u_k = sigmoid(u_k . v_c) v_c / B",
    ]
    g = torch.Generator().manual_seed(8)
    cases = [("visible case", 2, 3, 4)]
    for case in hidden_cases(seed=44, count=5):
        cases.append((case.name, case.randint(1, 3), case.randint(1, 4), case.randint(1, 5)))
    worst = 0.0
    for label, b, k, d in cases:
        inputs = _vectors(g, b, k, d, 1.0, ctx.device, dtype=torch.float64)
        grads = mine.sgns_grad(*inputs)
        if not (isinstance(grads, (tuple, list)) and len(grads) == 3):
            fail(f"sgns_grad should return three tensors (d v_centre, d u_context, d u_negatives), got {grads!r}")
        for i in range(3):

            def f(x, i=i, inputs=inputs):
                args = list(inputs)
                args[i] = x
                return _reference_loss(*args)

            worst = max(
                worst,
                grad_check(
                    f,
                    inputs[i],
                    grads[i],
                    threshold=1e-6,
                    name=f"{names[i]} from sgns_grad, {label} (B={b}, K={k}, D={d}, float64)",
                    hint=f"Expected {hints[i]}. The loss is a mean over the batch, so every gradient has a 1/B.",
                ),
            )
    ctx.metrics["grad_rel_error"] = worst


def _cosine_report(weights, vocab):
    """Purity of the nearest neighbours and the within/cross-class cosine gap of class words."""
    unit = F.normalize(weights.detach().double().cpu(), dim=1)
    sim = unit @ unit.T
    index = {w: i for i, w in enumerate(vocab)}
    words = [(w, c) for c, members in CLASSES.items() for w in members]
    rows = torch.tensor([index[w] for w, _ in words])
    label = [c for _, c in words]
    same = torch.tensor([[a == b for b in label] for a in label])
    sub = sim[rows][:, rows]
    eye = torch.eye(len(words), dtype=torch.bool)
    within, cross = sub[same & ~eye].mean().item(), sub[~same].mean().item()
    ranked = sim.clone()
    ranked.fill_diagonal_(-2.0)
    hits, examples = 0, []
    for w, c in words:
        near = [vocab[j] for j in ranked[index[w]].topk(NEIGHBOURS).indices.tolist()]
        hits += sum(n in CLASSES[c] for n in near)
        if w in ("cat", "red", "two", "runs", "park"):
            examples.append(f"{w}: {', '.join(near)}")
    return hits / (NEIGHBOURS * len(words)), within, cross, examples


@check.step("epoch", needs=["negatives", "loss"])
def epoch(ctx):
    """train_epoch draws its negatives from neg_probs: on pairs among words 0-5 and neg_probs with
    no mass on words 6-11, one epoch must leave the vectors of words 6-11 untouched (they are
    neither a context nor a negative, so their gradient is zero), and return a finite mean loss."""
    mine = ctx.learner(FILE)
    vocab, used = 12, 6
    generator = torch.Generator().manual_seed(5)
    pairs = torch.randint(0, used, (300, 2), generator=generator)
    probs = torch.zeros(vocab)
    probs[:used] = 1.0 / used
    seed_everything(0)
    model = mine.SkipGram(vocab, 8).to(ctx.device)
    _word2vec_init(model)
    before = model.out_embed.weight.detach().clone()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    mean_loss = mine.train_epoch(model, optimizer, pairs.to(ctx.device), probs.to(ctx.device), 32, 4, generator)
    after = model.out_embed.weight.detach()
    if torch.equal(after[:used], before[:used]):
        fail("one train_epoch left every output vector as it was: does it call optimizer.step() for each batch?")
    moved = [i for i in range(used, vocab) if not torch.equal(after[i], before[i])]
    if moved:
        fail(
            f"train_epoch(model, optimizer, pairs among words 0-{used - 1}, neg_probs with no mass on words "
            f"{used}-{vocab - 1}, ...) changed the output vectors of words {moved}, which are never contexts and "
            "should never be drawn as negatives. Draw the negatives with sample_negatives(neg_probs, (B, K), "
            "generator), not uniformly over the vocabulary."
        )
    try:
        value = float(mean_loss)
    except (TypeError, ValueError):
        fail(f"train_epoch should return the mean loss as a float, got {type(mean_loss).__name__}")
    if not 0.0 < value < 10 * 5 * math.log(2):
        fail(f"train_epoch returned {value!r}; expected the mean of the batch losses, a positive float")
    ctx.metrics["epoch_loss"] = round(value, 4)
    return f"negatives follow neg_probs; mean loss {value:.3f}"


def _word2vec_init(model):
    """word2vec's initialisation, set by the check so that every SkipGram (nn.Embedding's N(0, 1)
    default, another init) starts the same and the thresholds below hold for all of them."""
    dim = model.in_embed.weight.shape[1]
    with torch.no_grad():
        model.in_embed.weight.uniform_(-0.5 / dim, 0.5 / dim)
        model.out_embed.weight.zero_()


@check.step("train", needs=["pairs", "negatives", "loss", "epoch"])
def train(ctx):
    """A seeded run puts words of the same class next to each other. The check sets word2vec's
    initialisation itself (uniform +-0.5/D centre vectors, zero context vectors), so the result
    depends on your training code, not on how your __init__ initialised the tables."""
    mine = ctx.learner(FILE)
    vocab, train_ids, heldout_ids = corpus()
    pairs = mine.make_pairs(train_ids, WINDOW).to(ctx.device)
    flat = torch.tensor([i for sentence in train_ids for i in sentence])
    counts = torch.bincount(flat, minlength=len(vocab)).to(ctx.device)
    probs = mine.negative_distribution(counts)
    epochs, k = int(mine.EPOCHS), int(mine.NUM_NEGATIVES)
    seed_everything(0)
    model = mine.SkipGram(len(vocab), int(mine.EMBED_DIM)).to(ctx.device)
    _word2vec_init(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=float(mine.LEARNING_RATE))
    generator = torch.Generator().manual_seed(0)
    _one_thread(ctx)
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        train_loss = mine.train_epoch(model, optimizer, pairs, probs, int(mine.BATCH_SIZE), k, generator)
        ctx.progress(epoch, epochs, loss=train_loss)
    seconds = time.perf_counter() - started
    # held-out sentences, negatives drawn here from counts ** 0.75: the loss the check computes
    held = torch.tensor(
        [
            (s[i], s[j])
            for s in heldout_ids
            for i in range(len(s))
            for j in range(max(0, i - WINDOW), min(len(s), i + WINDOW + 1))
            if j != i
        ]
    )
    weights = counts.double().cpu() ** 0.75
    neg = torch.multinomial(weights / weights.sum(), held.shape[0] * k, replacement=True, generator=generator)
    held, neg = held.to(ctx.device), neg.reshape(-1, k).to(ctx.device)
    with torch.no_grad():
        w_in, w_out = model.in_embed.weight, model.out_embed.weight
        heldout_loss = _reference_loss(w_in[held[:, 0]], w_out[held[:, 1]], w_out[neg]).item()
    purity, within, cross, examples = _cosine_report(model.in_embed.weight, vocab)
    untrained = (k + 1) * math.log(2)  # every score 0: -log sigmoid(0) = ln 2 for the context and each negative
    ctx.metrics.update(
        nn_purity=round(purity, 3),
        within_cos=round(within, 3),
        cross_cos=round(cross, 3),
        cos_gap=round(within - cross, 3),
        heldout_loss=round(heldout_loss, 3),
        untrained_loss=round(untrained, 3),
        train_seconds=round(seconds, 2),
    )
    summary = (
        f"{purity:.0%} of each class word's {NEIGHBOURS} nearest neighbours share its class (goal {MIN_PURITY:.0%}); "
        f"mean cosine within a class {within:.2f}, across classes {cross:.2f} (gap goal {MIN_GAP}); held-out loss "
        f"{heldout_loss:.3f} (untrained {untrained:.3f}); {epochs} epochs in {seconds:.1f} s\n" + "\n".join(examples)
    )
    if heldout_loss > MAX_HELDOUT_RATIO * untrained:
        fail(
            f"{summary}\nThe held-out loss is above {MAX_HELDOUT_RATIO:g} x the untrained {untrained:.3f}: the "
            "model barely learned. Does train_epoch step the optimizer every batch?"
        )
    if purity < MIN_PURITY or within - cross < MIN_GAP:
        fail(
            f"{summary}\nThe classes did not separate. Does train_epoch call zero_grad, backward and step for every "
            "batch, and use in_embed for centres? Is the learning rate sensible (Adam, about 1e-2)?"
        )
    return summary

"""Check for the esim-nli lab: soft alignment against F.scaled_dot_product_attention (scale 1, with
the padding masks), the enhancement, masked average and max pooling against references computed in
the same run, the ESIM model's output shape, and a held-out accuracy after training on a generated
inference set whose labels follow from word relations (hypernyms, antonyms, added details)."""

import functools
import random
import time

import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, hidden_cases, seed_everything

# Small models: one thread is as fast as two, and does not stall when the CPU is shared.
torch.set_num_threads(1)
# Full float32 on GPUs too: TF32 would differ from the same-run references by ~1e-3.
torch.backends.cudnn.allow_tf32 = False
torch.backends.cuda.matmul.allow_tf32 = False

check = Check()
FILE = "esim.py"
TOL = {"rtol": 1e-4, "atol": 1e-5}
LABELS = ["entailment", "neutral", "contradiction"]
TRAIN_SIZE, TEST_SIZE = 2000, 400
EPOCHS, BATCH_SIZE, LR = 5, 32, 0.005
THRESHOLD = 0.9  # the reference: 0.985-1.0 over 8 seeds; without the alignment (a_tilde = 0) 0.76-0.85
JUNK = 50.0  # what padded positions hold in the hidden cases: large, so using them shows

# The little world of the generated sentences: "the [adjective] noun verb [in the place]".
KINDS = {
    "animal": ["dog", "cat", "horse", "bird", "rabbit"],
    "person": ["man", "woman", "boy", "girl", "farmer"],
    "vehicle": ["car", "bus", "truck", "bike", "boat"],
}
HYPERNYM = {noun: kind for kind, nouns in KINDS.items() for noun in nouns}
ADJECTIVES = [("big", "small"), ("old", "young"), ("happy", "sad"), ("fast", "slow"), ("loud", "quiet")]
VERBS = [("sits", "stands"), ("sleeps", "plays"), ("stops", "moves"), ("arrives", "leaves"), ("laughs", "cries")]
PLACES = ["park", "street", "garden", "house", "market", "station"]
ANTONYM = {x: y for pair in ADJECTIVES + VERBS for x, y in (pair, pair[::-1])}


# ---------------------------------------------------------------- cases


def _padded(generator, batch, length, width, lengths, device):
    """(B, L, H) values with JUNK (+-50) on the padding, and the (B, L) mask; drawn on the CPU, then moved."""
    values = torch.randn(batch, length, width, generator=generator)
    mask = torch.arange(length).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
    junk = JUNK * torch.sign(torch.randn(batch, length, width, generator=generator))
    values = torch.where(mask.unsqueeze(2), values, junk)
    return values.to(device), mask.to(device)


def _lengths(case, batch, length):
    lengths = [case.randint(1, length) for _ in range(batch)]
    lengths[case.randint(0, batch - 1)] = length
    return lengths


def _pair_cases(seed, count, device):
    """The visible pair of sentences, then `count` hidden ones: (label, a, b, mask_a, mask_b)."""
    g = torch.Generator().manual_seed(seed)
    a, mask_a = _padded(g, 2, 4, 3, [4, 2], device)
    b, mask_b = _padded(g, 2, 3, 3, [1, 3], device)
    cases = [("visible case: a (2, 4, 3) with lengths [4, 2], b (2, 3, 3) with lengths [1, 3]", a, b, mask_a, mask_b)]
    for case in hidden_cases(seed=seed, count=count):
        batch, la, lb, width = case.randint(1, 4), case.randint(1, 6), case.randint(1, 6), case.randint(1, 8)
        len_a, len_b = _lengths(case, batch, la), _lengths(case, batch, lb)
        a, mask_a = _padded(case.generator, batch, la, width, len_a, device)
        b, mask_b = _padded(case.generator, batch, lb, width, len_b, device)
        label = f"{case.name}: a {tuple(a.shape)} with lengths {len_a}, b {tuple(b.shape)} with lengths {len_b}"
        cases.append((label, a, b, mask_a, mask_b))
    return cases


# ---------------------------------------------------------------- alignment


def _attend(query, keys, key_mask):
    """The reference: torch's own attention with scale 1 (ESIM's e = a b^T is not scaled), True = may attend."""
    return F.scaled_dot_product_attention(query, keys, keys, attn_mask=key_mask.unsqueeze(1), scale=1.0)


def _align_hint(got, which, a, b, mask_a, mask_b, real):
    """The likely cause, when the learner's a_tilde or b_tilde matches a known wrong answer."""
    everything_a, everything_b = torch.ones_like(mask_a), torch.ones_like(mask_b)
    e = a @ b.transpose(1, 2)
    if which == "a_tilde":
        variants = [
            (
                _attend(a, b, everything_b),
                "your a_tilde attends to b's padding too: mask e where mask_b is False "
                "(masked_fill with -inf) before the softmax over b's tokens.",
            ),
            (
                torch.softmax(e.masked_fill(~mask_b.unsqueeze(1), float("-inf")), dim=1).nan_to_num() @ b,
                "your softmax runs over a's tokens (dim=1); a_tilde[i] spreads position i's weight over b's tokens, "
                "so softmax over the last axis of e (B, La, Lb).",
            ),
            (
                torch.softmax(e, dim=1) @ b,
                "your softmax runs over a's tokens (dim=1), without b's mask; a_tilde[i] spreads position i's weight "
                "over b's real tokens: mask, then softmax over the last axis of e (B, La, Lb).",
            ),
        ]
        if a.shape[1] == b.shape[1]:
            variants.append((_attend(a, b, mask_a), "your a_tilde masks with mask_a; the keys are b's, so use mask_b."))
    else:
        variants = [
            (_attend(b, a, everything_a), "your b_tilde attends to a's padding too: mask e^T where mask_a is False."),
        ]
        if a.shape[1] == b.shape[1]:
            variants.append((_attend(b, a, mask_b), "your b_tilde masks with mask_b; the keys are a's, so use mask_a."))
    for value, why in variants:
        if (
            value is not None
            and got.shape == value.shape
            and torch.allclose(got[real], value[real], rtol=1e-4, atol=1e-4)
        ):
            return "It looks like " + why
    return f"{which}: e = a @ b.transpose(1, 2) (B, La, Lb), no scaling; padding masked with -inf before the softmax."


@check.step("alignment")
def alignment(ctx):
    """soft_align matches torch's attention (scale 1) with the padding masks, both ways, on real positions."""
    mine = ctx.learner(FILE)
    for label, a, b, mask_a, mask_b in _pair_cases(seed=51, count=10, device=ctx.device):
        result = mine.soft_align(a, b, mask_a, mask_b)
        if not (isinstance(result, tuple) and len(result) == 2):
            fail(f"soft_align(a, b, mask_a, mask_b), {label}: return the tuple (a_tilde, b_tilde)")
        for got, which, expected, real in (
            (result[0], "a_tilde", _attend(a, b, mask_b), mask_a),
            (result[1], "b_tilde", _attend(b, a, mask_a), mask_b),
        ):
            name = f"{which} from soft_align(a, b, mask_a, mask_b), {label}"
            assert_shape(
                got,
                tuple(expected.shape),
                name=name,
                hint="a_tilde has a's shape (B, La, H), b_tilde has b's shape (B, Lb, H).",
            )
            # Only real positions are judged: what a padded row holds never reaches the pooled output.
            hint = _align_hint(got, which, a, b, mask_a, mask_b, real)
            assert_close(got[real], expected[real], **TOL, name=name + ", at the real positions", hint=hint)


@check.step("enhance")
def enhance(ctx):
    """enhance concatenates [x; x_tilde; x - x_tilde; x * x_tilde] on the feature axis."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(52)
    shapes = [(2, 3, 4)] + [case.shape(3, 1, 6) for case in hidden_cases(seed=52, count=8)]
    for index, shape in enumerate(shapes):
        x, x_tilde = (torch.randn(*shape, generator=g).to(ctx.device) for _ in range(2))
        expected = torch.cat([x, x_tilde, x - x_tilde, x * x_tilde], dim=-1)
        label = "visible case" if index == 0 else f"hidden case {index} of {len(shapes) - 1}"
        name = f"enhance(x, x_tilde), x and x_tilde {tuple(shape)}, {label}"
        got = mine.enhance(x, x_tilde)
        assert_shape(
            got,
            tuple(expected.shape),
            name=name,
            hint="Concatenate on the last axis: torch.cat([...], dim=-1) (without dim, cat stacks the batch).",
        )
        assert_close(got, expected, **TOL, name=name, hint="In this order: x, x_tilde, x - x_tilde, x * x_tilde.")


def _pool_reference(v, mask):
    """Average and max over each sentence's real positions, one sentence at a time."""
    rows = []
    for row, n in zip(v, mask.sum(dim=1).tolist(), strict=True):
        rows.append(torch.cat([row[:n].mean(dim=0), row[:n].max(dim=0).values]))
    return torch.stack(rows)


@check.step("pooling")
def pooling(ctx):
    """masked_pool gives [average; max] over the real positions; the padding (filled with +-50) never counts."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(53)
    cases = [("visible case: v (2, 4, 3), lengths [4, 2]", *_padded(g, 2, 4, 3, [4, 2], ctx.device))]
    for case in hidden_cases(seed=53, count=10):
        batch, length, width = case.randint(1, 4), case.randint(1, 7), case.randint(1, 8)
        lengths = _lengths(case, batch, length)
        cases.append(
            (
                f"{case.name}: v {(batch, length, width)}, lengths {lengths}",
                *_padded(case.generator, batch, length, width, lengths, ctx.device),
            )
        )
    for label, v, mask in cases:
        expected = _pool_reference(v, mask)
        got = mine.masked_pool(v, mask)
        name = f"masked_pool(v, mask), {label}"
        assert_shape(got, tuple(expected.shape), name=name, hint="(B, 2H): the average, then the max, concatenated.")
        width = v.shape[2]
        hint = "[average over the real positions; max over the real positions]."
        if not torch.allclose(got[:, :width], expected[:, :width], rtol=1e-4, atol=1e-4):
            hint = (
                "The average is off: divide the sum over the REAL positions by the sentence's length, "
                "(v * mask).sum(1) / mask.sum(1), not v.mean(1), which also averages the padding."
            )
        elif not torch.allclose(got[:, width:], expected[:, width:], rtol=1e-4, atol=1e-4):
            hint = (
                "The max is off: padding must never win the max. Fill it with -inf first: "
                "v.masked_fill(~mask.unsqueeze(2), float('-inf')).max(dim=1).values (multiplying by the mask "
                "gives 0, which beats a sentence whose values are all negative)."
            )
        assert_close(got, expected, **TOL, name=name, hint=hint)


# ---------------------------------------------------------------- the model


@check.step("model", needs=["alignment", "enhance", "pooling"])
def model(ctx):
    """ESIM(vocab_size)(premise, hypothesis, masks) gives (B, num_classes) scores that backpropagate."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(54)
    sizes = [({"vocab_size": 20}, 3, 5, 4)]
    for case in hidden_cases(seed=54, count=5):
        kwargs = {
            "vocab_size": case.randint(3, 30),
            "embed_dim": case.randint(1, 12),
            "hidden": case.randint(1, 12),
            "num_classes": case.randint(2, 4),
        }
        sizes.append((kwargs, case.randint(1, 4), case.randint(1, 6), case.randint(1, 6)))
    for kwargs, batch, lp, lh in sizes:
        seed_everything(0)
        net = mine.ESIM(**kwargs).to(ctx.device)
        len_p = [lp, *torch.randint(1, lp + 1, (batch - 1,), generator=g).tolist()]
        len_h = torch.randint(1, lh + 1, (batch,), generator=g).tolist()
        len_h[-1] = lh
        mask_p = torch.arange(lp).unsqueeze(0) < torch.tensor(len_p).unsqueeze(1)
        mask_h = torch.arange(lh).unsqueeze(0) < torch.tensor(len_h).unsqueeze(1)
        premise = torch.randint(1, kwargs["vocab_size"], (batch, lp), generator=g) * mask_p
        hypothesis = torch.randint(1, kwargs["vocab_size"], (batch, lh), generator=g) * mask_h
        call = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        name = f"ESIM({call})(premise {(batch, lp)}, hypothesis {(batch, lh)}, masks)"
        out = net(*(t.to(ctx.device) for t in (premise, hypothesis, mask_p, mask_h)))
        classes = kwargs.get("num_classes", 3)
        assert_shape(
            out,
            (batch, classes),
            name=name,
            hint="One row of raw scores per pair: the MLP's last nn.Linear has num_classes outputs.",
        )
        if not torch.isfinite(out).all():
            fail(f"{name} returned inf or nan: a -inf from the masks leaked through (is a whole row masked?)")
        out.sum().backward()
        if not any(p.grad is not None and p.grad.abs().sum() > 0 for p in net.parameters()):
            fail(f"{name}: no parameter gets a gradient; build the output from the model's layers with torch ops")


# ---------------------------------------------------------------- training on generated pairs


def _words(s):
    return [
        "the",
        *([s["adj"]] if s["adj"] else []),
        s["noun"],
        s["verb"],
        *(["in", "the", s["place"]] if s["place"] else []),
    ]


def _entailing_changes(h, exclude=()):
    """Changes that keep the hypothesis true: drop the adjective or the place, or go up to the hypernym."""
    options = []
    if h["adj"] and "adj" not in exclude:
        options.append("adj")
    if h["place"] and "place" not in exclude:
        options.append("place")
    if h["noun"] in HYPERNYM and "noun" not in exclude:
        options.append("noun")
    return options


def _entail(h, what):
    if what == "noun":
        h["noun"] = HYPERNYM[h["noun"]]
    else:
        h[what] = None


def _pair(rng):
    """One (premise words, hypothesis words, label), or None when the drawn label does not apply.
    entailment: details dropped or a noun replaced by its hypernym (dog -> animal).
    neutral: a detail added, or a hypernym replaced by one of its kinds (animal -> dog).
    contradiction: an adjective or verb replaced by its antonym, or another place."""
    kind = rng.choice(sorted(KINDS))
    premise = {
        "adj": rng.choice(rng.choice(ADJECTIVES)) if rng.random() < 0.6 else None,
        "noun": kind if rng.random() < 0.25 else rng.choice(KINDS[kind]),
        "verb": rng.choice(rng.choice(VERBS)),
        "place": rng.choice(PLACES) if rng.random() < 0.6 else None,
    }
    label, h = rng.randrange(3), dict(premise)
    if label == 0:
        options = _entailing_changes(h)
        if not options:
            return None
        for what in rng.sample(options, rng.randint(1, len(options))):
            _entail(h, what)
    else:
        if label == 2:
            options = ["verb"] + (["adj"] if h["adj"] else []) + (["place"] if h["place"] else [])
            what = rng.choice(options)
            if what == "place":
                h["place"] = rng.choice([p for p in PLACES if p != h["place"]])
            else:
                h[what] = ANTONYM[h[what]]
        else:
            options = [
                x
                for x, absent in (("adj", not h["adj"]), ("place", not h["place"]), ("noun", h["noun"] in KINDS))
                if absent
            ]
            if not options:
                return None
            what = rng.choice(options)
            if what == "noun":
                h["noun"] = rng.choice(KINDS[h["noun"]])
            else:
                h[what] = rng.choice(rng.choice(ADJECTIVES)) if what == "adj" else rng.choice(PLACES)
        extra = _entailing_changes(h, exclude=(what,))
        if extra and rng.random() < 0.5:  # plus a change that keeps the label, so length is no clue
            _entail(h, rng.choice(extra))
    return _words(premise), _words(h), label


@functools.lru_cache(maxsize=1)
def _dataset():
    """(train, test, vocab): pairs drawn with fixed seeds; no test pair appears in the training set."""
    rng = random.Random(2024)
    train, seen = [], set()
    while len(train) < TRAIN_SIZE:
        pair = _pair(rng)
        if pair:
            train.append(pair)
            seen.add((tuple(pair[0]), tuple(pair[1])))
    test = []
    while len(test) < TEST_SIZE:
        pair = _pair(rng)
        if pair and (tuple(pair[0]), tuple(pair[1])) not in seen:
            test.append(pair)
    words = {"the", "in", *KINDS, *HYPERNYM, *ANTONYM, *PLACES}
    vocab = {w: i for i, w in enumerate(sorted(words), start=1)}
    return train, test, vocab


def _tensors(pairs, vocab, device):
    def pad(rows):
        ids = torch.zeros(len(rows), max(len(r) for r in rows), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor([vocab[w] for w in row])
        return ids.to(device), (ids != 0).to(device)

    premise, premise_mask = pad([p for p, _, _ in pairs])
    hypothesis, hypothesis_mask = pad([h for _, h, _ in pairs])
    label = torch.tensor([y for _, _, y in pairs]).to(device)
    return {
        "premise": premise,
        "hypothesis": hypothesis,
        "premise_mask": premise_mask,
        "hypothesis_mask": hypothesis_mask,
        "label": label,
    }


@check.step("train", needs=["model"])
def train(ctx):
    """After training with fixed seeds, ESIM labels held-out pairs (never seen in training) above the threshold."""
    mine = ctx.learner(FILE)
    train_set, test_set, vocab = _dataset()
    data = _tensors(train_set, vocab, ctx.device)
    seed_everything(0)
    net = mine.ESIM(len(vocab) + 1).to(ctx.device)
    started = time.perf_counter()
    losses = mine.train(net, data, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=0, progress=ctx.progress)
    ctx.metrics["train_seconds"] = round(time.perf_counter() - started, 2)
    if not isinstance(losses, list) or len(losses) != EPOCHS:
        got = f"a list of {len(losses)}" if isinstance(losses, list) else type(losses).__name__
        fail(f"train(..., epochs={EPOCHS}) should return a list of {EPOCHS} mean losses, one per epoch; got {got}")
    test = _tensors(test_set, vocab, ctx.device)
    net.eval()
    with torch.no_grad():
        guesses = net(test["premise"], test["hypothesis"], test["premise_mask"], test["hypothesis_mask"]).argmax(1)
    right = guesses == test["label"]
    acc = right.float().mean().item()
    per_label = {name: right[test["label"] == i].float().mean().item() for i, name in enumerate(LABELS)}
    ctx.metrics.update(
        test_acc=round(acc, 4),
        final_loss=round(float(losses[-1]), 4),
        train_pairs=len(train_set),
        test_pairs=len(test_set),
    )
    summary = ", ".join(f"{name} {value:.2f}" for name, value in per_label.items())
    if acc < THRESHOLD:
        fail(
            f"accuracy {acc:.4f} on {len(test_set)} held-out pairs is below {THRESHOLD} (by label: {summary}; the "
            f"reference reaches about 0.99; losses by epoch {[round(float(v), 3) for v in losses]}). Is every batch "
            f"going through cross-entropy on the logits, zero_grad, backward and Adam's step at lr={LR}?"
        )
    return f"accuracy {acc:.4f} on held-out pairs (threshold {THRESHOLD}; by label: {summary})"

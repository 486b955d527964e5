"""Check for the bow-text-classification lab (FudanNLP nlp-beginner, task 1): six steps. The
n-grams, the vocabulary and the count matrix against scikit-learn's CountVectorizer, the softmax
regression loss against torch's F.cross_entropy and its gradients against float64 centred
differences, training against full-batch gradient descent computed here and against every
order mini-batch SGD could have taken, then held-out accuracy on movie-review sentences
generated with a fixed seed, where negation makes bigrams necessary ("not good").

The learner's code is NumPy, so it runs on the CPU whatever --device says; the torch reference
runs on the chosen device (in float64, so on the CPU when that device is MPS)."""

import functools
import io
import itertools
import random
import tokenize

import numpy as np
import torch
import torch.nn.functional as F

from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases

check = Check()
FILE = "bow.py"
THRESHOLD = 0.92  # bigrams: 0.968-0.993 over 10 data and training seeds (0.977 here); unigrams: 0.65-0.70
LR, EPOCHS, BATCH_SIZE, REG = 1.0, 20, 32, 1e-4

# The generated reviews: "[prefix] subject verb [intensifier] [negation] adjective [suffix]".
PREFIXES = ["", "", "honestly", "i think", "overall", "in the end", "to be fair", "for me"]
SUBJECTS = ["the movie", "this film", "the plot", "the acting", "the ending", "the soundtrack", "the story"]
SUBJECTS += ["the script", "the cast", "the dialogue"]
VERBS = ["was", "is", "seemed", "felt", "looked"]
INTENSIFIERS = ["", "", "really", "truly", "quite"]
NEGATIONS = ["not", "never", "hardly"]
ADJECTIVES = {
    0: ["bad", "boring", "dull", "awful", "weak", "silly", "predictable", "flat"],  # negative
    1: ["long", "short", "loud", "quiet", "french", "new", "old", "animated"],  # neutral: negation keeps it neutral
    2: ["good", "great", "funny", "moving", "brilliant", "charming", "clever", "fresh"],  # positive
}
SUFFIXES = ["", "", "this time", "if you ask me", "for a change", "as expected"]
CLASS_NAMES = ("negative", "neutral", "positive")


def reviews(seed: int, count: int):
    """`count` one-sentence reviews and their labels (0 negative, 1 neutral, 2 positive). Half the
    sentences negate their adjective, which flips a sentiment: 'not good' is negative. A unigram
    model sees 'not' and 'good' apart and cannot tell 'not good' from 'not bad'."""
    r = random.Random(seed)
    texts, labels = [], []
    for _ in range(count):
        polarity, negated = r.randrange(3), r.random() < 0.5
        words = [r.choice(PREFIXES), r.choice(SUBJECTS), r.choice(VERBS), r.choice(INTENSIFIERS)]
        words += [r.choice(NEGATIONS) if negated else "", r.choice(ADJECTIVES[polarity]), r.choice(SUFFIXES)]
        texts.append(" ".join(w for w in words if w))
        labels.append(2 - polarity if negated else polarity)
    return texts, np.array(labels)


# -- helpers -------------------------------------------------------------------------------------


def _vectorizer(n_min: int, n_max: int, vocabulary=None):
    """scikit-learn's CountVectorizer with this lab's tokens: lower case, split on whitespace."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(
        tokenizer=str.split, token_pattern=None, lowercase=True, ngram_range=(n_min, n_max), vocabulary=vocabulary
    )


def _reference_counts(texts, n_max):
    """Every n-gram (1 .. n_max) of the texts with its total count, by scikit-learn."""
    vectorizer = _vectorizer(1, n_max)
    matrix = vectorizer.fit_transform(texts)
    totals = np.asarray(matrix.sum(axis=0)).ravel()
    documents = np.asarray((matrix > 0).sum(axis=0)).ravel()
    return {gram: (int(totals[i]), int(documents[i])) for gram, i in vectorizer.vocabulary_.items()}


def _random_texts(rng: random.Random, count: int, unseen: bool = False) -> list[str]:
    """Short texts over a tiny vocabulary (so n-grams repeat), some words capitalised."""
    words = ["not", "good", "bad", "the", "film", "was", "very", "Not", "Good"]
    words += ["surprisingly", "plot"] if unseen else []
    return [" ".join(rng.choice(words) for _ in range(rng.randint(1, 6))) for _ in range(count)]


def _f64_device(ctx) -> torch.device:
    return torch.device("cpu") if ctx.device.type == "mps" else ctx.device


def _show(items, limit=4) -> str:
    items = sorted(items)
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(repr(i) for i in items[:limit]) + more


def _from_scratch(ctx) -> None:
    """Fail when the learner's file uses scikit-learn or torch: the lab builds everything itself."""
    source = (ctx.workspace / FILE).read_text(encoding="utf-8")
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.NAME]
    except (tokenize.TokenError, SyntaxError):
        return
    for token in tokens:
        if token.string in ("sklearn", "torch"):
            fail(
                f"{FILE} line {token.start[0]} uses {token.string}: this lab builds the features and the model from "
                "scratch with NumPy and the standard library (the check uses scikit-learn and torch to judge them)."
            )


# -- features ------------------------------------------------------------------------------------


@check.step("ngrams")
def ngrams(ctx):
    """ngrams(tokens, n) lists every run of n consecutive tokens, in order, like scikit-learn's analyzer."""
    mine = ctx.learner(FILE)
    _from_scratch(ctx)
    tokens = ["the", "movie", "was", "not", "good"]
    cases = [(f"ngrams({tokens}, {n})", tokens, n) for n in (1, 2, 3, 5, 6)]
    for case in hidden_cases(seed=61, count=10):
        length, n = case.randint(0, 7), case.randint(1, 4)
        hidden = [case.rng.choice(["a", "b", "not", "good", "bad"]) for _ in range(length)]
        cases.append((f"ngrams({hidden}, {n}), {case.name}", hidden, n))
    for label, tokens, n in cases:
        expected = _vectorizer(n, n).build_analyzer()(" ".join(tokens))
        got = mine.ngrams(list(tokens), n)
        if not isinstance(got, list) or got != expected:
            hint = "Every start position i from 0 to len(tokens) - n, both ends included: ' '.join(tokens[i:i + n])."
            if isinstance(got, list) and len(got) == len(expected) - 1 and got == expected[: len(got)]:
                hint = "The last n-gram is missing: range(len(tokens) - n + 1), not range(len(tokens) - n)."
            elif isinstance(got, list) and got and not isinstance(got[0], str):
                hint = "Join each n-gram into one string with single spaces: ' '.join(tokens[i:i + n])."
            fail(f"{label}: expected {expected}, got {got!r}\n{hint}")


def _vocab_hint(missing, extra, counts, n_max, min_count) -> str:
    if missing and all(len(g.split()) == n_max > 1 for g in missing):
        return f"All the missing entries are {n_max}-grams: n runs from 1 to n_max inclusive, range(1, n_max + 1)."
    if missing and all(counts[g][0] == min_count for g in missing):
        return f"The missing entries occur exactly min_count = {min_count} times: keep counts >= min_count."
    if extra and all(counts.get(g, (0, 0))[0] < min_count for g in extra):
        return f"The extra entries occur fewer than min_count = {min_count} times in all the texts together."
    if missing and all(counts[g][1] < min_count for g in missing):
        return "min_count counts every occurrence in all the texts together, not the number of texts."
    if extra and any(g != g.lower() for g in extra):
        return "Lower-case the text first (use tokenize): 'Good' and 'good' are one feature."
    return "Every n-gram of tokenize(text), for n = 1 .. n_max, counted over all the texts; keep those >= min_count."


@check.step("vocab")
def vocab(ctx):
    """build_vocab keeps every 1..n_max-gram seen at least min_count times, indexed 0..V-1."""
    mine = ctx.learner(FILE)
    _from_scratch(ctx)
    texts = ["the film was good", "the film was not good", "not bad", "The FILM was very very good"]
    cases = [
        (f"build_vocab(texts, n_max={n}, min_count={c}), 4 visible texts", texts, n, c) for n, c in ((1, 1), (2, 2))
    ]
    for case in hidden_cases(seed=62, count=8):
        n_max, min_count = case.randint(1, 3), case.randint(1, 3)
        texts = _random_texts(case.rng, case.randint(1, 6))
        cases.append(
            (f"build_vocab(texts, n_max={n_max}, min_count={min_count}), {case.name}", texts, n_max, min_count)
        )
    for label, texts, n_max, min_count in cases:
        counts = _reference_counts(texts, n_max)
        expected = {g for g, (total, _) in counts.items() if total >= min_count}
        got = mine.build_vocab(list(texts), n_max=n_max, min_count=min_count)
        if not isinstance(got, dict):
            fail(f"{label}: expected a dict from n-gram to index, got {type(got).__name__}")
        missing, extra = expected - set(got), set(got) - expected
        if missing or extra:
            fail(
                f"{label}, texts {texts}: {len(got)} entries, expected {len(expected)}\n"
                + (f"missing: {_show(missing)}\n" if missing else "")
                + (f"not expected: {_show(extra)}\n" if extra else "")
                + _vocab_hint(missing, extra, counts, n_max, min_count)
            )
        if sorted(got.values()) != list(range(len(got))):
            fail(
                f"{label}: the indexes should be 0 .. {len(got) - 1}, each used once (they are columns of X); "
                f"got {_show(set(got.values()))}"
            )


def _featurize_hint(got, texts, vocabulary, n_max, expected) -> str:
    single_words = np.zeros(len(vocabulary))
    single_words[[i for g, i in vocabulary.items() if " " not in g]] = 1
    candidates = [
        ((expected > 0).astype(float), "These are 0/1 presence flags; a bag of words counts: 'very very' adds 2."),
        (expected * single_words, "Only single words were counted: add the n-grams for n = 2 .. n_max."),
    ]
    ordered = {g: i for i, g in enumerate(sorted(vocabulary))}
    candidates.append(
        (
            _vectorizer(1, n_max, ordered).transform(texts).toarray(),
            "The columns are in alphabetical order; use the index the vocab gives: X[i, vocab[gram]].",
        )
    )
    got = np.asarray(got, dtype=np.float64) if isinstance(got, np.ndarray) else None
    for value, why in candidates:
        if value is not None and got is not None and got.shape == value.shape and np.array_equal(got, value):
            return why
    return (
        "X[i, vocab[g]] counts the n-gram g (n = 1 .. n_max) in tokenize(texts[i]); n-grams outside vocab are skipped."
    )


@check.step("featurize")
def featurize(ctx):
    """featurize counts each vocabulary n-gram per text, in the vocabulary's own columns."""
    mine = ctx.learner(FILE)
    _from_scratch(ctx)
    train = ["the film was good", "the film was not good", "not bad"]
    texts = ["the film was very very good", "not good not good", "a new word"]
    cases = [("vocab of 3 visible texts (n_max=2), texts " + str(texts), train, texts, 2)]
    for case in hidden_cases(seed=63, count=8):
        n_max = case.randint(1, 3)
        train = _random_texts(case.rng, case.randint(1, 5))
        texts = _random_texts(case.rng, case.randint(1, 4), unseen=True) + ([""] if case.index == 0 else [])
        cases.append((f"{case.name}, n_max={n_max}, texts {texts}", train, texts, n_max))
    for index, (label, train, texts, n_max) in enumerate(cases):
        grams = sorted(_reference_counts(train, n_max))
        order = np.random.default_rng(index).permutation(len(grams))  # any order: columns come from the dict
        vocabulary = {g: int(i) for g, i in zip(grams, order, strict=True)}
        expected = _vectorizer(1, n_max, vocabulary).transform(texts).toarray().astype(np.float64)
        got = mine.featurize(list(texts), dict(vocabulary), n_max=n_max)
        assert_close(
            got,
            expected,
            check_dtype=False,
            name=f"featurize(texts, vocab, n_max={n_max}), {label}, against CountVectorizer(vocabulary=vocab)",
            hint=_featurize_hint(got, texts, vocabulary, n_max, expected),
        )


# -- softmax regression --------------------------------------------------------------------------


def _reference_loss(ctx, W, b, X, y, reg):
    """torch's F.cross_entropy plus reg * sum(W * W), in float64, with autograd's gradients."""
    device = _f64_device(ctx)
    w = torch.from_numpy(W).to(device).requires_grad_(True)
    bias = torch.from_numpy(b).to(device).requires_grad_(True)
    scores = torch.from_numpy(X).to(device) @ w + bias
    data = F.cross_entropy(scores, torch.from_numpy(y).to(device).long())
    loss = data + reg * (w * w).sum()
    loss.backward()
    return loss.item(), data.item(), w.grad.cpu().numpy(), bias.grad.cpu().numpy()


def _numpy_loss(W, b, X, y, reg) -> float:
    scores = X @ W + b
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean() + reg * np.sum(W * W))


def _close(a, b) -> bool:
    try:
        a = np.asarray(a, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == np.shape(b) and bool(np.all(np.isfinite(a))) and np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _loss_cases():
    g = np.random.default_rng(64)
    W, b = g.normal(size=(4, 3)), g.normal(size=3)
    X = np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 3.0]])
    cases = [("W (4, 3), b (3,), X (3, 4) counts, y [0, 2, 1], reg 0.1", W, b, X, np.array([0, 2, 1]), 0.1)]
    for case in hidden_cases(seed=64, count=8):
        n, v, c = case.randint(1, 7), case.randint(1, 6), case.randint(2, 5)
        reg = (0.0, 0.05, 0.3)[case.index % 3]
        X = case.randn(n, v, dtype=torch.float64).abs().round().numpy()  # counts
        W, b = case.randn(v, c, dtype=torch.float64).numpy(), case.randn(c, dtype=torch.float64).numpy()
        y = np.array([case.randint(0, c - 1) for _ in range(n)])
        cases.append((f"{case.name}, W ({v}, {c}), X ({n}, {v}), reg {reg}", W, b, X, y, reg))
    W, X = 10 * g.normal(size=(2, 3)), np.array([[300.0, 0.0], [0.0, 500.0]])
    cases.append(("hidden large-score case, X of counts in the hundreds", W, np.zeros(3), X, np.array([1, 2]), 0.0))
    return cases


@check.step("loss-grads")
def loss_grads(ctx):
    """loss_and_grads matches F.cross_entropy + reg * sum(W * W); dW and db agree with centred differences."""
    mine = ctx.learner(FILE)
    _from_scratch(ctx)
    worst = 0.0
    for label, W, b, X, y, reg in _loss_cases():
        result = mine.loss_and_grads(W.copy(), b.copy(), X, y, reg)
        if not (isinstance(result, tuple) and len(result) == 3):
            fail(f"loss_and_grads should return a tuple (loss, dW, db); got {type(result).__name__}")
        loss, dW, db = result
        expected, data, expected_dW, expected_db = _reference_loss(ctx, W, b, X, y, reg)
        n, penalty = X.shape[0], reg * float(np.sum(W * W))
        hint = "loss = the mean over the N rows of -log softmax(X @ W + b)[y] plus reg * np.sum(W * W)."
        if reg and _close(loss, expected + reg * float(np.sum(b * b))):
            hint = "The bias is not regularised: the penalty is reg * np.sum(W * W) only."
        elif n > 1 and _close(loss, n * data + penalty):
            hint = f"Your data loss is N = {n} times too large: the mean over the examples, not the sum."
        elif not np.isfinite(float(loss)):
            hint = "Subtract each row's max score before np.exp, and take log-probabilities directly (no log(0))."
        assert_close(loss, expected, name=f"loss_and_grads loss, {label}, against F.cross_entropy + penalty", hint=hint)
        if "large-score" in label:  # centred differences drown in rounding at this scale; autograd instead
            assert_close(dW, expected_dW, atol=1e-9, name=f"loss_and_grads dW, {label}, against autograd", hint=hint)
            assert_close(db, expected_db, atol=1e-9, name=f"loss_and_grads db, {label}, against autograd", hint=hint)
            continue
        hint = "dscores = (softmax(scores) - one_hot(y)) / N; dW = X.T @ dscores + 2 * reg * W; db = dscores.sum(0)."
        if n > 1 and _close(dW, n * (expected_dW - 2 * reg * W) + 2 * reg * W):
            hint = f"dW is N = {n} times too large: divide dscores by N (the loss is a mean)."
        worst = max(
            worst,
            grad_check(
                lambda w, b=b, X=X, y=y, reg=reg: _numpy_loss(w, b, X, y, reg),
                W,
                dW,
                threshold=1e-7,
                name=f"loss_and_grads dW, {label}",
                hint=hint,
            ),
        )
        worst = max(
            worst,
            grad_check(
                lambda bias, W=W, X=X, y=y, reg=reg: _numpy_loss(W, bias, X, y, reg),
                b,
                db,
                threshold=1e-7,
                name=f"loss_and_grads db, {label}",
                hint=f"db is N = {n} times too large: sum the dscores already divided by N."
                if n > 1 and _close(db, n * expected_db)
                else "db = dscores.sum(axis=0): b is added to every row's scores; it has no penalty.",
            ),
        )
    ctx.metrics["rel_error"] = float(f"{worst:.2e}")
    return f"worst relative error {worst:.1e} (threshold 1e-7)"


# -- training ------------------------------------------------------------------------------------


def _gd_steps(ctx, X, y, classes, batches, lr, reg):
    """Gradient steps from zeros on the given batches (index arrays), with the reference's gradients."""
    reference = ctx.solution(FILE)
    W, b = np.zeros((X.shape[1], classes)), np.zeros(classes)
    for batch in batches:
        _, dW, db = reference.loss_and_grads(W, b, X[batch], y[batch], reg)
        W, b = W - lr * dW, b - lr * db
    return W, b


def _pair(result, label):
    if not (isinstance(result, tuple) and len(result) == 2):
        fail(f"{label} should return a tuple (W, b); got {type(result).__name__}")
    return (np.asarray(result[0], dtype=np.float64), np.asarray(result[1], dtype=np.float64))


def _same(a, b) -> bool:
    return all(x.shape == y.shape and np.allclose(x, y, rtol=1e-6, atol=1e-9) for x, y in zip(a, b, strict=True))


@check.step("train-steps")
def train_steps(ctx):
    """train starts from zeros, takes one step per batch, uses every example each epoch and shuffles with its seed."""
    mine = ctx.learner(FILE)
    g = np.random.default_rng(65)
    X, y = g.integers(0, 3, size=(7, 4)).astype(float), np.array([0, 1, 2, 1, 0, 2, 2])
    got = _pair(mine.train(X, y, 3, lr=0.3, epochs=0, batch_size=7, reg=0.01, seed=0), "train")
    assert_close(
        got[0],
        np.zeros((4, 3)),
        name="W after train(..., epochs=0), X (7, 4), 3 classes",
        hint="Start from W = np.zeros((V, num_classes)) and b = np.zeros(num_classes): the loss is convex, "
        "so zeros are a fine start, and the check can follow your steps exactly.",
    )
    assert_close(got[1], np.zeros(3), name="b after train(..., epochs=0)", hint="b starts at np.zeros(num_classes).")
    for batch_size in (7, 100):
        label = f"train(X (7, 4), y, 3, lr=0.3, epochs=3, batch_size={batch_size}, reg=0.01)"
        got = _pair(mine.train(X, y, 3, lr=0.3, epochs=3, batch_size=batch_size, reg=0.01, seed=0), label)
        expected = _gd_steps(ctx, X, y, 3, [np.arange(7)] * 3, 0.3, 0.01)
        hint = "A batch of all 7 examples: each epoch is one full gradient step W -= lr * dW, b -= lr * db."
        if not np.any(got[0]):
            hint = (
                f"No step was taken: with batch_size={batch_size} and 7 examples the only batch holds all 7 (the last "
                "batch may be smaller than batch_size; it is not dropped)."
            )
        assert_close(got[0], expected[0], rtol=1e-6, atol=1e-9, name=f"W from {label}", hint=hint)
        assert_close(got[1], expected[1], rtol=1e-6, atol=1e-9, name=f"b from {label}", hint=hint)

    X5, y5 = X[:5], y[:5]
    outcomes = {}
    for order in itertools.permutations(range(5)):
        batches = [list(order[0:2]), list(order[2:4]), list(order[4:5])]
        key = tuple(tuple(sorted(b)) for b in batches)
        if key not in outcomes:
            outcomes[key] = _gd_steps(ctx, X5, y5, 3, [np.array(b) for b in batches], 0.3, 0.01)
    results, seen = [], set()
    for seed in range(8):
        label = f"train(X (5, 4), y, 3, lr=0.3, epochs=1, batch_size=2, reg=0.01, seed={seed})"
        got = _pair(mine.train(X5, y5, 3, lr=0.3, epochs=1, batch_size=2, reg=0.01, seed=seed), label)
        matched = [key for key, expected in outcomes.items() if _same(got, expected)]
        if not matched:
            fail(
                f"{label}: no order of the 5 examples in batches of 2, 2 and 1 gives your W and b. Each epoch "
                "uses every example exactly once, one gradient step per batch, and the last batch may be smaller "
                "(range(0, N, batch_size) and order[start:start + batch_size] keep it)."
            )
        results.append(got)
        seen.add(matched[0])
    again = _pair(mine.train(X5, y5, 3, lr=0.3, epochs=1, batch_size=2, reg=0.01, seed=3), "train")
    if not _same(again, results[3]):
        fail(
            "two calls of train(..., seed=3) gave different weights: create the generator from `seed` inside train "
            "(np.random.default_rng(seed)) rather than using numpy's global random state, so a run can be repeated."
        )
    if all(_same(r, results[0]) for r in results):
        fail(
            "train(..., batch_size=2) gave the same weights for 8 different seeds: the examples are not shuffled. "
            "Shuffle the order every epoch (rng.permutation(N)): batches drawn in a fixed order, for instance sorted "
            "by label, make SGD zig-zag."
        )
    return f"full batches match gradient descent; 8 seeds took {len(seen)} of the {len(outcomes)} possible batchings"


@functools.lru_cache(maxsize=1)
def _data():
    return reviews(seed=1, count=1200), reviews(seed=2, count=600)


@check.step("bigrams", needs=["ngrams", "vocab", "featurize", "loss-grads", "train-steps"])
def bigrams(ctx):
    """Trained on generated reviews, bigram features reach the held-out threshold that unigrams cannot."""
    mine = ctx.learner(FILE)
    (train_texts, y_train), (test_texts, y_test) = _data()
    accuracy, wrong = {}, []
    for n_max in (1, 2):
        vocabulary = mine.build_vocab(train_texts, n_max=n_max)
        X_train, X_test = mine.featurize(train_texts, vocabulary, n_max), mine.featurize(test_texts, vocabulary, n_max)
        W, b = _pair(mine.train(X_train, y_train, 3, lr=LR, epochs=EPOCHS, batch_size=BATCH_SIZE, reg=REG), "train")
        predicted = np.argmax(np.asarray(X_test) @ W + b, axis=1)
        accuracy[n_max] = float((predicted == y_test).mean())
        ctx.metrics[f"{'unigram' if n_max == 1 else 'bigram'}_test_acc"] = round(accuracy[n_max], 4)
        ctx.metrics[f"features_n{n_max}"] = len(vocabulary)
        ctx.progress(n_max, 2, test_acc=accuracy[n_max])
        wrong = [
            f"'{test_texts[i]}' ({CLASS_NAMES[y_test[i]]}, predicted {CLASS_NAMES[predicted[i]]})"
            for i in np.flatnonzero(predicted != y_test)[:3]
        ]
    lesson = f"unigrams {accuracy[1]:.3f}, bigrams {accuracy[2]:.3f} on 600 held-out reviews"
    if accuracy[2] < THRESHOLD:
        fail(
            f"{lesson}: bigrams should reach {THRESHOLD} (the reference: about 0.98). Trained with lr={LR}, "
            f"epochs={EPOCHS}, batch_size={BATCH_SIZE}, reg={REG}. Some it got wrong: " + "; ".join(wrong)
        )
    return f"{lesson} (threshold {THRESHOLD}): 'not good' is a feature of its own only with bigrams"

"""Check for the char-rnn-names lab: the vocabulary and the encoding against the rule they follow,
the model's output shape, a fresh hidden state for every name, scores taken after each name's true
last character (a name scores the same in a padded batch as alone), and a held-out accuracy far
above chance after training with fixed seeds on names from Faker's bundled lists."""

import collections
import functools
import importlib
import random
import string
import time
import unicodedata

import torch

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, hidden_cases, seed_everything

# Small models: one thread is as fast as two, and does not stall when the CPU is shared.
torch.set_num_threads(1)
# Full float32 on GPUs too: cuDNN's default TF32 would differ from the same-run references by ~1e-3.
torch.backends.cudnn.allow_tf32 = False

check = Check()
FILE = "names.py"
# Faker locale -> language; the order gives the class indices.
LANGUAGES = {
    "de_DE": "German",
    "en_US": "English",
    "es_ES": "Spanish",
    "fr_FR": "French",
    "it_IT": "Italian",
    "nl_NL": "Dutch",
    "pl_PL": "Polish",
    "pt_BR": "Portuguese",
    "tr_TR": "Turkish",
    "fi_FI": "Finnish",
    "cs_CZ": "Czech",
    "sv_SE": "Swedish",
}
TEST_FRACTION = 0.2
EPOCHS, BATCH_SIZE, LR = 6, 64, 0.005
THRESHOLD = 0.55  # GRU reference: at least 0.656 over 20 seeds (0.667 with seed 0); nn.RNN about 0.61; chance 0.27
# Letters that NFKD does not split into an ASCII letter and an accent.
_SPELLED_OUT = str.maketrans(
    {"ł": "l", "Ł": "L", "ß": "ss", "ı": "i", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "đ": "d", "Đ": "D", "ð": "d"}
)
_ALLOWED = set(string.ascii_letters + " '-")
VISIBLE = ["Anna", "O'Brien", "van Dijk", "Jean-Luc", "Zoe"]
PAD_INDEX = 0


def _ascii(name):
    """'Łukasz Çelik' -> 'Lukasz Celik': accents dropped with unicodedata, no other package."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPELLED_OUT))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@functools.lru_cache(maxsize=1)
def _dataset():
    """(train, test): lists of (name, class index). First and last names from Faker's bundled lists
    (faker/providers/person/<locale>/__init__.py, no download), accents stripped; names found in
    more than one locale are dropped; 20% of each language held out, with a fixed seed."""
    per_locale = {}
    for locale in LANGUAGES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        names = set()
        for attribute, values in vars(provider).items():
            if ("first_name" in attribute or "last_name" in attribute) and isinstance(values, (tuple, list, dict)):
                names |= {_ascii(value) for value in values if isinstance(value, str)}
        per_locale[locale] = {name for name in names if name and set(name) <= _ALLOWED}
    counts = collections.Counter(name for names in per_locale.values() for name in names)
    rng = random.Random(2024)
    train, test = [], []
    for label, locale in enumerate(LANGUAGES):
        names = sorted(name for name in per_locale[locale] if counts[name] == 1)
        rng.shuffle(names)
        cut = round(len(names) * TEST_FRACTION)
        test += [(name, label) for name in names[:cut]]
        train += [(name, label) for name in names[cut:]]
    return train, test


def _all_names():
    train, test = _dataset()
    return [name for name, _ in train + test]


def _expected_vocab(names):
    return {char: index for index, char in enumerate(sorted(set("".join(names))), start=1)}


def _judge_vocab(got, expected, label):
    if not isinstance(got, dict):
        fail(f"{label}: expected a dict from character to index, got {type(got).__name__}")
    missing = sorted(set(expected) - set(got))
    if missing:
        message = f"{label}: {len(missing)} of the {len(expected)} characters are missing: {''.join(missing)!r}"
        if any(c.isupper() for c in missing):
            message += (
                "\nUpper and lower case are different characters: don't lower() the names. The capital "
                "tells the model where a name (or its second part, as in 'van Dijk' or 'Jean-Luc') begins."
            )
        fail(message)
    extra = sorted(set(got) - set(expected))
    if extra:
        fail(f"{label}: characters that appear in no name: {extra!r}; take the characters from the names only")
    if PAD_INDEX in got.values():
        fail(f"{label}: a character got index 0, which is PAD: number the characters from 1 (enumerate(..., start=1))")
    for char, index in expected.items():
        if got[char] != index:
            fail(
                f"{label}: expected {char!r} -> {index}, got {got[char]!r}. Number the characters in sorted "
                "order, sorted(set(''.join(names))), from 1: then every run (and the check) agrees on the indices."
            )


@check.step("vocab")
def vocab(ctx):
    """build_vocab numbers every distinct character, upper and lower case apart, in sorted order from 1."""
    mine = ctx.learner(FILE)
    names = _all_names()
    cases = [(VISIBLE, f"build_vocab({VISIBLE!r})")]
    for case in hidden_cases(seed=41, count=5):
        sample = case.rng.sample(names, case.randint(1, 30))
        cases.append((sample, f"build_vocab(names), {case.name}: {len(sample)} names from the dataset"))
    cases.append((names, f"build_vocab(names), all {len(names)} names of the dataset"))
    for sample, label in cases:
        _judge_vocab(mine.build_vocab(list(sample)), _expected_vocab(sample), label)
    ctx.metrics["vocab_size"] = len(_expected_vocab(names))


def _padded(names, vocab):
    """The expected encoding, by the rule: indices at the start of each row, PAD after."""
    lengths = torch.tensor([len(n) for n in names], dtype=torch.long)
    rows = [[vocab[c] for c in n] + [PAD_INDEX] * (int(lengths.max()) - len(n)) for n in names]
    return torch.tensor(rows, dtype=torch.long), lengths


@check.step("encoding")
def encoding(ctx):
    """name_to_tensor gives (len(name),) long indices; batch_to_tensor pads at the end with 0 and gives the lengths."""
    mine = ctx.learner(FILE)
    names = _all_names()
    vocab = _expected_vocab(names)
    hint = "Look each character up in vocab: torch.tensor([vocab[c] for c in name], dtype=torch.long)."
    for name in ["Anna", "O'Brien", "van Dijk"]:
        expected = torch.tensor([vocab[c] for c in name], dtype=torch.long)
        assert_close(mine.name_to_tensor(name, vocab), expected, name=f"name_to_tensor({name!r}, vocab)", hint=hint)
    batches = [["Li", "Anna", "Bo"]]
    batches += [case.rng.sample(names, case.randint(1, 8)) for case in hidden_cases(seed=42, count=8)]
    for index, batch in enumerate(batches):
        label = f"batch_to_tensor({batch!r}, vocab)" + (f", hidden case {index} of 8" if index else "")
        result = mine.batch_to_tensor(list(batch), vocab)
        if not (isinstance(result, tuple) and len(result) == 2):
            fail(f"{label}: expected a tuple (padded, lengths), got {type(result).__name__}")
        padded, lengths = result
        expected_padded, expected_lengths = _padded(batch, vocab)
        hint = f"Each row holds a name's indices from column 0, then PAD ({PAD_INDEX}) up to the longest name."
        if getattr(padded, "shape", None) == expected_padded.shape:
            left = torch.stack(
                [
                    torch.roll(row, int(expected_padded.shape[1] - n))
                    for row, n in zip(expected_padded, expected_lengths, strict=True)
                ]
            )
            if torch.equal(torch.as_tensor(padded).cpu(), left):
                hint = (
                    "You padded at the front. Pad at the end: each name then starts at time step 0, and its "
                    "length says where it stops (that is what pack_padded_sequence expects)."
                )
        assert_close(padded, expected_padded, name=f"padded, from {label}", hint=hint)
        assert_close(
            lengths,
            expected_lengths,
            name=f"lengths, from {label}",
            hint="lengths[i] = len(names[i]), a LongTensor of shape (B,).",
        )


def _random_batch(generator, vocab_size, lengths):
    """A padded batch of random indices in [1, vocab_size] with the given lengths, on the CPU."""
    padded = torch.randint(1, vocab_size + 1, (len(lengths), max(lengths)), generator=generator)
    for row, n in enumerate(lengths):
        padded[row, n:] = PAD_INDEX
    return padded, torch.tensor(lengths, dtype=torch.long)


@check.step("model-shapes")
def model_shapes(ctx):
    """NameClassifier(vocab_size, n_classes)(padded, lengths) gives (B, n_classes) scores."""
    mine = ctx.learner(FILE)
    g = torch.Generator().manual_seed(6)
    cases = [({"vocab_size": 55, "n_classes": 12}, [2, 4, 7], g)]
    for case in hidden_cases(seed=43, count=6):
        kwargs = {
            "vocab_size": case.randint(3, 60),
            "n_classes": case.randint(2, 15),
            "embed": case.randint(1, 16),
            "hidden": case.randint(1, 24),
        }
        cases.append((kwargs, [case.randint(1, 9) for _ in range(case.randint(1, 6))], case.generator))
    for kwargs, lengths, generator in cases:
        seed_everything(0)
        model = mine.NameClassifier(**kwargs).to(ctx.device)
        padded, lens = _random_batch(generator, kwargs["vocab_size"], lengths)
        call = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        assert_shape(
            model(padded.to(ctx.device), lens),
            (len(lengths), kwargs["n_classes"]),
            name=f"NameClassifier({call})(padded, lengths), padded of shape {tuple(padded.shape)}, lengths {lengths}",
            hint="One row of scores per name: nn.Linear(hidden, n_classes) on the hidden state after each name.",
        )


def _model_and_vocab(mine):
    vocab = _expected_vocab(_all_names())
    seed_everything(0)
    return mine.NameClassifier(len(vocab), len(LANGUAGES)), vocab


def _alone(model, names, vocab, device):
    rows = []
    for name in names:
        padded, lengths = _padded([name], vocab)
        rows.append(model(padded.to(device), lengths))
    return torch.cat(rows)


@check.step("fresh-state")
def fresh_state(ctx):
    """Every name starts from a zero hidden state: a second call scores the same, and names of one
    length (no padding) score the same in a batch as alone."""
    mine = ctx.learner(FILE)
    model, vocab = _model_and_vocab(mine)
    model = model.to(ctx.device).eval()
    by_length = collections.defaultdict(list)
    for name in _all_names():
        by_length[len(name)].append(name)
    batches = [["Anna", "Emma", "Luca", "Jens"]]
    for case in hidden_cases(seed=44, count=4):
        pool = by_length[case.randint(3, 9)]
        batches.append(case.rng.sample(pool, case.randint(2, 6)))
    with torch.no_grad():
        for batch in batches:
            padded, lengths = _padded(batch, vocab)
            first = model(padded.to(ctx.device), lengths)
            second = model(padded.to(ctx.device), lengths)
            assert_close(
                second,
                first,
                rtol=1e-4,
                atol=1e-5,
                name=f"the scores of {batch!r}, called twice",
                hint=(
                    "The same names scored differently on the second call: state from the first call leaked in "
                    "(a hidden state kept on self?). Let every call start from zeros: call self.rnn(x) without h0."
                ),
            )
            alone = _alone(model, batch, vocab, ctx.device)
            for row, name in enumerate(batch):
                assert_close(
                    first[row],
                    alone[row],
                    rtol=1e-4,
                    atol=1e-5,
                    name=f"the scores of {name!r} in the batch {batch!r} (no padding) against {name!r} alone",
                    hint=(
                        "The names before it changed its scores: the hidden state carried over from one name to "
                        "the next. Each name must start from a zero hidden state."
                    ),
                )


@check.step("last-step")
def last_step(ctx):
    """A name scores the same in a padded batch as alone: the scores come from its true last character."""
    mine = ctx.learner(FILE)
    model, vocab = _model_and_vocab(mine)
    model = model.to(ctx.device).eval()
    names = _all_names()
    batches = [["Li", "Anna", "Bartholomew"]]
    for case in hidden_cases(seed=45, count=6):
        batches.append(case.rng.sample(names, case.randint(2, 8)))
    with torch.no_grad():
        for batch in batches:
            padded, lengths = _padded(batch, vocab)
            scores = model(padded.to(ctx.device), lengths)
            alone = _alone(model, batch, vocab, ctx.device)
            width = padded.shape[1]
            for row, name in enumerate(batch):
                assert_close(
                    scores[row],
                    alone[row],
                    rtol=1e-4,
                    atol=1e-5,
                    name=f"the scores of {name!r} ({len(name)} characters) in the batch {batch!r} padded to {width}, "
                    f"against {name!r} alone",
                    hint=(
                        f"The scores must come from the hidden state after the name's last real character (step "
                        f"{len(name)}), not after the padding up to step {width}. Pack the batch: "
                        "pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False) "
                        "and use the GRU's final hidden state, or pick output[i, lengths[i] - 1] for each row."
                    ),
                )


@check.step("train", needs=["vocab", "model-shapes", "last-step"])
def train(ctx):
    """After training with fixed seeds, the classifier names the language of held-out names far above chance."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    train_set, test_set = _dataset()
    vocab = mine.build_vocab(_all_names())
    seed_everything(0)
    model = mine.NameClassifier(len(vocab), len(LANGUAGES)).to(ctx.device)
    names, labels = [n for n, _ in train_set], [label for _, label in train_set]
    started = time.perf_counter()
    losses = mine.train(
        model, names, labels, vocab, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=0, progress=ctx.progress
    )
    ctx.metrics["train_seconds"] = round(time.perf_counter() - started, 2)
    if not isinstance(losses, list) or len(losses) != EPOCHS:
        got = f"a list of {len(losses)}" if isinstance(losses, list) else type(losses).__name__
        fail(f"train(..., epochs={EPOCHS}) should return a list of {EPOCHS} mean losses, one per epoch; got {got}")
    model.eval()
    right = collections.Counter()
    with torch.no_grad():
        for start in range(0, len(test_set), 512):
            chunk = test_set[start : start + 512]
            padded, lengths = reference.batch_to_tensor([n for n, _ in chunk], vocab)
            guesses = model(padded.to(ctx.device), lengths).argmax(dim=1).tolist()
            right.update(label for (_, label), guess in zip(chunk, guesses, strict=True) if guess == label)
    sizes = collections.Counter(label for _, label in test_set)
    test_acc = sum(right.values()) / len(test_set)
    chance = max(sizes.values()) / len(test_set)
    per_language = {name: right[i] / sizes[i] for i, name in enumerate(LANGUAGES.values())}
    worst = min(per_language, key=per_language.get)
    ctx.metrics.update(
        test_acc=round(test_acc, 4),
        chance=round(chance, 4),
        final_loss=round(float(losses[-1]), 4),
        classes=len(LANGUAGES),
        train_names=len(train_set),
        test_names=len(test_set),
    )
    summary = (
        f"worst language: {worst} {per_language[worst]:.2f}; always guessing the largest class scores {chance:.3f}"
    )
    if test_acc < THRESHOLD:
        fail(
            f"test accuracy {test_acc:.4f} after {EPOCHS} epochs is below {THRESHOLD} (the reference reaches about "
            f"0.67; {summary}; losses by epoch {[round(float(v), 3) for v in losses]}). Is every batch going through "
            f"zero_grad, cross-entropy, backward and Adam's step at lr={LR}, with the batches on the model's device?"
        )
    return (
        f"test accuracy {test_acc:.4f} on {len(test_set)} held-out names in {len(LANGUAGES)} languages "
        f"(threshold {THRESHOLD}; {summary})"
    )

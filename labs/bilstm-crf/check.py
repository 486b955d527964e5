"""Check for the bilstm-crf lab: the CRF's forward algorithm (log Z), the gold path's score, the
negative log-likelihood and its gradient, and Viterbi decoding, each against brute-force enumeration
of every tag path on tiny visible and hidden cases; then the BiLSTM-CRF model against the same
functions, and an entity-level F1 on held-out sentences after training on a tagging set made from
Faker's zh_CN names, places and companies."""

import collections
import functools
import importlib
import itertools
import random
import time

import torch

from studyctl.labkit.api import Check, assert_close, assert_shape, fail, hidden_cases, seed_everything

# Small models: one thread is as fast as two, and does not stall when the CPU is shared.
torch.set_num_threads(1)
# Full float32 on GPUs too: TF32 would differ from the same-run references by ~1e-3.
torch.backends.cudnn.allow_tf32 = False
torch.backends.cuda.matmul.allow_tf32 = False

check = Check()
FILE = "crf.py"
TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
PAD, UNK = 0, 1
TRAIN_SIZE, TEST_SIZE, MIN_COUNT = 800, 300, 2
EPOCHS, BATCH_SIZE, LR = 8, 32, 0.01
THRESHOLD = 0.7  # the reference: 0.80-0.90 over seeds; a BiLSTM without the CRF scores about the same or lower
TOL = {"rtol": 1e-4, "atol": 1e-4}
TEMPLATES = [
    "{PER}在{LOC}的{ORG}工作。",
    "{PER}昨天去了{LOC}。",
    "{ORG}的总部位于{LOC}。",
    "{PER}和{PER}都是{ORG}的员工。",
    "我在{LOC}遇到了{PER}。",
    "{ORG}宣布{PER}担任总经理。",
    "{PER}出生于{LOC}，现在住在{LOC}。",
    "{LOC}的{ORG}正在招聘工程师。",
    "听说{PER}下个月要去{LOC}出差。",
    "{PER}打算离开{ORG}。",
    "{ORG}与{ORG}签订了合作协议。",
    "明天{PER}从{LOC}飞往{LOC}。",
    "{PER}给{PER}打了电话。",
    "这家{ORG}在{LOC}很有名。",
    "今天天气很好，{PER}在家休息。",
    "{LOC}今年的冬天特别冷。",
]


# ---------------------------------------------------------------- brute force, the reference


def _paths(num_tags, length):
    """Every tag path of a sentence: (num_tags ** length, length) long, on the CPU."""
    return torch.tensor(list(itertools.product(range(num_tags), repeat=length)), dtype=torch.long)


def _scores(emissions, transitions, start, end, paths):
    """The score of each path (P, n) through one sentence's emissions (n, T), in their dtype."""
    n = paths.shape[1]
    score = start[paths[:, 0]] + emissions[torch.arange(n), paths].sum(dim=1) + end[paths[:, -1]]
    if n > 1:
        score = score + transitions[paths[:, :-1], paths[:, 1:]].sum(dim=1)
    return score


def _brute(emissions, mask, transitions, start, end):
    """Per sentence, by enumerating every path in float64 on the CPU: (log Z (B,), best paths, best scores (B,))."""
    e, tr, s, en = (t.detach().double().cpu() for t in (emissions, transitions, start, end))
    log_z, best_paths, best_scores = [], [], []
    for b, n in enumerate(mask.sum(dim=1).tolist()):
        paths = _paths(e.shape[2], n)
        scores = _scores(e[b, :n], tr, s, en, paths)
        log_z.append(torch.logsumexp(scores, dim=0))
        best_scores.append(scores.max())
        best_paths.append(paths[scores.argmax()].tolist())
    return torch.stack(log_z), best_paths, torch.stack(best_scores)


def _one_score(emissions, tag_path, transitions, start, end):
    """The score of one path through one sentence (n, T), float64 on the CPU."""
    e, tr, s, en = (t.detach().double().cpu() for t in (emissions, transitions, start, end))
    return _scores(e[: len(tag_path)], tr, s, en, torch.tensor([tag_path], dtype=torch.long))[0]


def _case(generator, batch, length, num_tags, lengths, device, scale=1.0):
    """Random CRF inputs drawn on the CPU and moved: emissions, mask, transitions, start, end."""
    emissions = torch.randn(batch, length, num_tags, generator=generator) * scale
    transitions = torch.randn(num_tags, num_tags, generator=generator) * scale
    start = torch.randn(num_tags, generator=generator) * scale
    end = torch.randn(num_tags, generator=generator) * scale
    mask = torch.arange(length).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
    return tuple(t.to(device) for t in (emissions, mask, transitions, start, end))


def _cases(seed, count, device, visible=True):
    """The visible case, then `count` hidden ones with random sizes (size 1 included), as
    (label, emissions, mask, transitions, start, end, generator)."""
    out = []
    if visible:
        g = torch.Generator().manual_seed(seed)
        out.append(("visible case: B=2, L=4, T=3, lengths [4, 2]", *_case(g, 2, 4, 3, [4, 2], device), g))
    for case in hidden_cases(seed=seed, count=count):
        batch, length, num_tags = case.randint(1, 3), case.randint(1, 5), case.randint(1, 4)
        lengths = [case.randint(1, length) for _ in range(batch)]
        lengths[case.randint(0, batch - 1)] = length  # the batch is as long as its longest sentence
        label = f"{case.name}: B={batch}, L={length}, T={num_tags}, lengths {lengths}"
        out.append((label, *_case(case.generator, batch, length, num_tags, lengths, device), case.generator))
    return out


def _crf(transitions, start, end):
    return {"transitions": transitions, "start_transitions": start, "end_transitions": end}


# ---------------------------------------------------------------- the CRF functions


def _log_z_hint(got, emissions, mask, transitions, start, end):
    """The likely cause of a wrong log Z, found by matching known wrong answers."""
    if not torch.isfinite(got).all():
        return (
            "Your log Z is inf or nan: the forward algorithm ran in probability space (exp, multiply, sum, log), "
            "which overflows float32 once scores pass ~88. Stay in log space: "
            "alpha = torch.logsumexp(alpha.unsqueeze(2) + transitions + emissions[:, t].unsqueeze(1), dim=1)."
        )
    got = got.detach().double().cpu()
    full = torch.ones_like(mask)
    zeros = torch.zeros_like(start)
    variants = [
        (
            _brute(emissions, full, transitions, start, end)[0],
            "Your log Z runs over the padding too: at padded positions (mask False) keep the previous alpha, "
            "e.g. alpha = torch.where(mask[:, t].unsqueeze(1), new_alpha, alpha).",
        ),
        (
            _brute(emissions, mask, transitions, zeros, end)[0],
            "Your log Z leaves out start_transitions: alpha starts as start_transitions + emissions[:, 0].",
        ),
        (
            _brute(emissions, mask, transitions, start, zeros)[0],
            "Your log Z leaves out end_transitions: finish with logsumexp(alpha + end_transitions, dim=1).",
        ),
        (
            _brute(emissions, mask, transitions.T, start, end)[0],
            "Your log Z uses transitions the wrong way round: transitions[i, j] scores tag i FOLLOWED BY tag j, "
            "so the previous tag indexes the rows (alpha.unsqueeze(2) + transitions, summed over dim 1).",
        ),
    ]
    for value, why in variants:
        if got.shape == value.shape and torch.allclose(got, value, rtol=1e-4, atol=1e-4):
            return why
    return "log Z = logsumexp over every tag path of (start + emissions + transitions + end), real positions only."


@check.step("log-partition")
def log_partition(ctx):
    """log_partition equals the log-sum-exp over every path, enumerated by brute force; large scores stay finite."""
    mine = ctx.learner(FILE)
    cases = _cases(seed=31, count=10, device=ctx.device)
    g = torch.Generator().manual_seed(32)
    big = ("large scores (x100, where exp overflows float32): B=2, L=3, T=3, lengths [3, 2]",)
    cases.append(big + _case(g, 2, 3, 3, [3, 2], ctx.device, scale=100.0) + (g,))
    for label, emissions, mask, transitions, start, end, _ in cases:
        got = mine.log_partition(emissions, mask, transitions, start, end)
        expected = _brute(emissions, mask, transitions, start, end)[0].to(ctx.device, emissions.dtype)
        hint = ""
        if getattr(got, "shape", None) == expected.shape:
            hint = _log_z_hint(got, emissions, mask, transitions, start, end)
        assert_close(got, expected, **TOL, name=f"log_partition(...), {label}", hint=hint)


def _score_hint(got, emissions, tags, mask, transitions, start, end):
    got = got.detach().double().cpu()
    lengths = mask.sum(dim=1).tolist()
    full = emissions.shape[1]
    zeros = torch.zeros_like(start)

    def each(n_of, tr=transitions, s=start, en=end):
        return torch.stack(
            [_one_score(emissions[b], tags[b, : n_of(n)].tolist(), tr, s, en) for b, n in enumerate(lengths)]
        )

    last_column = torch.stack(
        [
            _one_score(emissions[b], tags[b, :n].tolist(), transitions, start, end)
            - end[tags[b, n - 1]].double().cpu()
            + end[tags[b, -1]].double().cpu()
            for b, n in enumerate(lengths)
        ]
    )
    variants = [
        (
            last_column,
            "end_transitions is taken at the tag in the last column, which is padding for a shorter sentence: "
            "take it at each sentence's own last real tag, tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).",
        ),
        (
            each(lambda n: n, tr=transitions.T),
            "transitions[i, j] is tag i FOLLOWED BY tag j: index it as "
            "transitions[tags[:, :-1], tags[:, 1:]], the previous tag first.",
        ),
        (
            each(lambda n: full),
            "your score runs over the padding too: multiply each term by the mask (the "
            "transition into position t counts only where mask[:, t] is True), and take end_transitions at each "
            "sentence's own last tag, tags[b, length - 1].",
        ),
        (each(lambda n: n, en=zeros), "your score leaves out end_transitions[last real tag]."),
        (each(lambda n: n, s=zeros), "your score leaves out start_transitions[tags[:, 0]]."),
    ]
    for value, why in variants:
        if got.shape == value.shape and torch.allclose(got, value, rtol=1e-4, atol=1e-4):
            return "It looks like " + why
    return (
        "score = start[y0] + sum of emissions[t, y_t] + sum of transitions[y_(t-1), y_t] + end[y_last], "
        "real positions only."
    )


@check.step("path-score")
def path_score(ctx):
    """path_score sums start, emissions, transitions and end along the given path, real positions only."""
    mine = ctx.learner(FILE)
    for label, emissions, mask, transitions, start, end, g in _cases(seed=33, count=10, device=ctx.device):
        tags = torch.randint(0, emissions.shape[2], mask.shape, generator=g)
        tags = torch.where(mask.cpu(), tags, torch.randint(0, emissions.shape[2], mask.shape, generator=g))
        tags = tags.to(ctx.device)
        lengths = mask.sum(dim=1).tolist()
        expected = torch.stack(
            [_one_score(emissions[b], tags[b, :n].tolist(), transitions, start, end) for b, n in enumerate(lengths)]
        ).to(ctx.device, emissions.dtype)
        got = mine.path_score(emissions, tags, mask, transitions, start, end)
        hint = ""
        if getattr(got, "shape", None) == expected.shape:
            hint = _score_hint(got, emissions, tags, mask, transitions, start, end)
        assert_close(got, expected, **TOL, name=f"path_score(...), {label}, tags {tags.tolist()}", hint=hint)


@check.step("nll")
def nll(ctx):
    """crf_nll is the batch mean of log Z - score(gold), and its gradient matches brute force."""
    mine = ctx.learner(FILE)
    for label, emissions, mask, transitions, start, end, g in _cases(seed=34, count=8, device=ctx.device):
        tags = torch.randint(0, emissions.shape[2], mask.shape, generator=g).to(ctx.device)
        lengths = mask.sum(dim=1).tolist()
        # The reference: -log softmax of the gold path among every path, by enumeration, in float64.
        leaves = [t.detach().double().cpu().requires_grad_() for t in (emissions, transitions, start, end)]
        e64, tr64, s64, en64 = leaves
        terms = []
        for b, n in enumerate(lengths):
            scores = _scores(e64[b, :n], tr64, s64, en64, _paths(e64.shape[2], n))
            gold = _scores(e64[b, :n], tr64, s64, en64, tags[b, :n].cpu().unsqueeze(0))[0]
            terms.append(torch.logsumexp(scores, dim=0) - gold)
        expected = torch.stack(terms).mean()
        expected.backward()

        inputs = [t.detach().clone().requires_grad_() for t in (emissions, transitions, start, end)]
        got = mine.crf_nll(inputs[0], tags, mask, *inputs[1:])
        name = f"crf_nll(...), {label}"
        hint = (
            "crf_nll = (log_partition(...) - path_score(...)).mean(), one number for the batch "
            "(if log-partition or path-score failed above, fix them first)."
        )
        value, target = (
            float(got.detach()) if isinstance(got, torch.Tensor) and got.numel() == 1 else None,
            float(expected.detach()),
        )
        if value is not None and abs(value + target) < 1e-4 < abs(target):
            hint = (
                "Your value has the opposite sign: the negative log-likelihood is log Z - score(gold), which is "
                "never below 0 because the gold path is one of the paths summed into Z."
            )
        elif value is not None and len(lengths) > 1 and abs(value - target * len(lengths)) < 1e-4:
            hint = (
                "That is the sum over the batch; take the mean, so the learning rate does not depend on the batch size."
            )
        if not isinstance(got, torch.Tensor) or got.dim() != 0:
            fail(
                f"{name} should return a scalar tensor (0-dim); got {getattr(got, 'shape', type(got).__name__)}. {hint}"
            )
        assert_close(got, expected.to(ctx.device, emissions.dtype), **TOL, name=name, hint=hint)
        if not got.requires_grad:
            fail(f"{name} does not backpropagate: compute it with torch operations only (no .item(), no argmax).")
        got.backward()
        for tensor, leaf, what in zip(
            inputs, leaves, ("emissions", "transitions", "start_transitions", "end_transitions"), strict=True
        ):
            expected_grad = torch.zeros_like(leaf) if leaf.grad is None else leaf.grad  # None: not used (L = 1)
            got_grad = torch.zeros_like(tensor) if tensor.grad is None else tensor.grad
            if tensor.grad is None and expected_grad.abs().sum() > 0:
                fail(f"{name}: no gradient reaches {what}; the loss must depend on it through torch operations.")
            assert_close(
                got_grad,
                expected_grad.to(ctx.device, emissions.dtype),
                **TOL,
                name=f"the gradient of crf_nll with respect to {what}, {label}",
                hint="The gradient of log Z - score(gold) is (expected tag counts under the model) - (gold counts).",
            )


@check.step("viterbi")
def viterbi(ctx):
    """viterbi_decode returns each sentence's best path, as long as the sentence, as found by brute force."""
    mine = ctx.learner(FILE)
    cases = _cases(seed=35, count=12, device=ctx.device)
    g = torch.Generator().manual_seed(36)
    cases.append(
        ("large scores (x100): B=2, L=3, T=3, lengths [3, 1]", *_case(g, 2, 3, 3, [3, 1], ctx.device, 100.0), g)
    )
    for label, emissions, mask, transitions, start, end, _ in cases:
        _, best_paths, best_scores = _brute(emissions, mask, transitions, start, end)
        got = mine.viterbi_decode(emissions, mask, transitions, start, end)
        name = f"viterbi_decode(...), {label}"
        if isinstance(got, torch.Tensor):
            got = got.tolist()
        if not isinstance(got, (list, tuple)) or len(got) != len(best_paths):
            fail(f"{name} should return a list of {len(best_paths)} paths (one per sentence); got {got!r}")
        for b, (path, best, best_score) in enumerate(zip(got, best_paths, best_scores, strict=True)):
            path = [int(t) for t in (path.tolist() if isinstance(path, torch.Tensor) else path)]
            if len(path) != len(best):
                fail(
                    f"{name}: sentence {b} has {len(best)} real positions, your path has {len(path)}: {path}. "
                    "Return each path as long as its sentence (mask[b].sum()), without the padding."
                )
            if path != best:
                mine_score = float(_one_score(emissions[b], path, transitions, start, end))
                no_end = _brute(emissions[b : b + 1], mask[b : b + 1], transitions, start, torch.zeros_like(end))[1][0]
                hint = (
                    "Keep, for every tag, the best score of a path ending in it and a backpointer to its previous tag."
                )
                if path == no_end:
                    hint = "Your path is the best one without end_transitions: add them before the final argmax."
                elif path == best[::-1]:
                    hint = "Your path is reversed: backtracking walks from the last position to the first; reverse it."
                fail(
                    f"{name}: sentence {b}: the best path is {best} (score {float(best_score):.4f}), yours is {path} "
                    f"(score {mine_score:.4f}). {hint}"
                )


# ---------------------------------------------------------------- the model


def _sizes():
    yield ("BiLSTMCRF(vocab_size=20, num_tags=7)", {"vocab_size": 20, "num_tags": 7}, 3, 6)
    for case in hidden_cases(seed=37, count=5):
        kwargs = {
            "vocab_size": case.randint(3, 30),
            "num_tags": case.randint(1, 7),
            "embed_dim": case.randint(1, 12),
            "hidden": case.randint(1, 12),
        }
        call = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        yield (f"BiLSTMCRF({call}), {case.name}", kwargs, case.randint(1, 4), case.randint(1, 7))


@check.step("model", needs=["log-partition", "path-score", "nll", "viterbi"])
def model(ctx):
    """BiLSTMCRF gives (B, L, T) emissions, holds the CRF's parameters, and its loss and decode are the CRF's."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    g = torch.Generator().manual_seed(38)
    for label, kwargs, batch, length in _sizes():
        seed_everything(0)
        net = mine.BiLSTMCRF(**kwargs).to(ctx.device).eval()  # eval: no dropout, the same emissions twice
        num_tags = kwargs["num_tags"]
        for attribute, shape in (
            ("transitions", (num_tags, num_tags)),
            ("start_transitions", (num_tags,)),
            ("end_transitions", (num_tags,)),
        ):
            value = getattr(net, attribute, None)
            if not isinstance(value, torch.nn.Parameter):
                fail(f"{label}: self.{attribute} should be an nn.Parameter of shape {shape}, learned with the rest")
            assert_shape(value, shape, name=f"{label}.{attribute}")
        lengths = sorted((torch.randint(1, length + 1, (batch,), generator=g)).tolist(), reverse=True)
        lengths[0] = length
        mask = (torch.arange(length).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)).to(ctx.device)
        chars = torch.randint(2, kwargs["vocab_size"], (batch, length), generator=g).to(ctx.device) * mask
        tags = torch.randint(0, num_tags, (batch, length), generator=g).to(ctx.device)
        emissions = net.emissions(chars, mask)
        assert_shape(
            emissions,
            (batch, length, num_tags),
            name=f"{label}.emissions(chars, mask), chars {tuple(chars.shape)}",
            hint="One score per tag at each position: nn.Linear(2 * hidden, num_tags) on the BiLSTM's output.",
        )
        crf = (net.transitions, net.start_transitions, net.end_transitions)
        with torch.no_grad():
            # Random CRF scores (zeros at init would hide a transition used the wrong way round).
            for parameter in crf:
                parameter.copy_(torch.randn(parameter.shape, generator=g).to(ctx.device))
            emissions = net.emissions(chars, mask)
            expected = reference.crf_nll(emissions, tags, mask, *crf)
            expected_paths = reference.viterbi_decode(emissions, mask, *crf)
        loss = net.loss(chars, tags, mask)
        assert_close(
            loss,
            expected,
            **TOL,
            name=f"{label}.loss(chars, tags, mask)",
            hint="loss = crf_nll(self.emissions(chars, mask), tags, mask, self.transitions, "
            "self.start_transitions, self.end_transitions).",
        )
        net.zero_grad()
        loss.backward()
        if net.transitions.grad is None or (num_tags > 1 and not net.transitions.grad.abs().sum() > 0):
            fail(f"{label}: loss.backward() leaves no gradient on self.transitions; the CRF must learn them too")
        with torch.no_grad():
            paths = net.decode(chars, mask)
        paths = [[int(t) for t in p] for p in paths]
        if paths != expected_paths:
            fail(
                f"{label}.decode(chars, mask) gave {paths}; Viterbi on the model's emissions and CRF gives "
                f"{expected_paths}. decode = viterbi_decode(self.emissions(chars, mask), mask, self.transitions, "
                "self.start_transitions, self.end_transitions)."
            )


# ---------------------------------------------------------------- training on Faker's zh_CN entities


def _pools():
    """Faker's bundled zh_CN lists (no download): surnames, given names, places, company name parts."""
    person = importlib.import_module("faker.providers.person.zh_CN").Provider
    address = importlib.import_module("faker.providers.address.zh_CN").Provider
    company = importlib.import_module("faker.providers.company.zh_CN").Provider
    places = set(address.cities) | set(address.provinces) | set(address.districts) | set(address.countries)
    return {
        "surnames": sorted(set(person.last_names)),
        "given": sorted(set(person.first_names)),
        "places": sorted(places),
        "prefixes": sorted(set(company.company_prefixes)),
        "suffixes": sorted(set(company.company_suffixes)),
    }


def _sentence(rng, pool):
    """A template sentence with its slots filled: (text, tag indices, one BIO tag per character)."""
    chars, tags = [], []
    for part in rng.choice(TEMPLATES).replace("{", "\0{").replace("}", "}\0").split("\0"):
        if part in ("{PER}", "{LOC}", "{ORG}"):
            kind = part[1:-1]
            if kind == "PER":
                word = rng.choice(pool["surnames"]) + rng.choice(pool["given"])
            elif kind == "LOC":
                word = rng.choice(pool["places"])
            else:
                word = rng.choice(pool["prefixes"]) + rng.choice(pool["suffixes"])
            chars.append(word)
            tags += [TAGS.index(f"B-{kind}")] + [TAGS.index(f"I-{kind}")] * (len(word) - 1)
        else:
            chars.append(part)
            tags += [0] * len(part)
    return "".join(chars), tags


@functools.lru_cache(maxsize=1)
def _dataset():
    """(train, test, vocab): sentences as (text, tags). A quarter of the surnames, given names, places
    and company names is kept for the test sentences only, so the test entities were never seen."""
    rng = random.Random(2024)
    pools = _pools()
    train_pool, test_pool = {"suffixes": pools["suffixes"]}, {"suffixes": pools["suffixes"]}
    for key in ("surnames", "given", "places", "prefixes"):
        items = list(pools[key])
        rng.shuffle(items)
        cut = len(items) // 4
        train_pool[key], test_pool[key] = items[cut:], items[:cut]
    train = [_sentence(rng, train_pool) for _ in range(TRAIN_SIZE)]
    test = [_sentence(rng, test_pool) for _ in range(TEST_SIZE)]
    counts = collections.Counter("".join(text for text, _ in train))
    chars = sorted(c for c, n in counts.items() if n >= MIN_COUNT)  # rarer ones are UNK, so UNK is trained too
    vocab = {c: i for i, c in enumerate(chars, start=2)}
    return train, test, vocab


def _tensors(sentences, vocab, device):
    longest = max(len(text) for text, _ in sentences)
    chars = torch.zeros(len(sentences), longest, dtype=torch.long)
    tags = torch.zeros_like(chars)
    for i, (text, tag) in enumerate(sentences):
        chars[i, : len(text)] = torch.tensor([vocab.get(c, UNK) for c in text])
        tags[i, : len(text)] = torch.tensor(tag)
    return {"chars": chars.to(device), "tags": tags.to(device), "mask": (chars != PAD).to(device)}


def _entities(tags):
    """The entities of a BIO sequence as (start, end, type): B-X I-X..., an I-X after another type starts one."""
    found, start, kind = set(), None, None
    for i, name in enumerate([TAGS[t] for t in tags] + ["O"]):
        if start is not None and not (name.startswith("I-") and name[2:] == kind):
            found.add((start, i, kind))
            start = None
        if name.startswith("B-") or (name.startswith("I-") and start is None):
            start, kind = i, name[2:]
    return found


def _f1(gold, predicted):
    right = wrong = missed = 0
    for g, p in zip(gold, predicted, strict=True):
        g, p = _entities(g), _entities(p)
        right, wrong, missed = right + len(g & p), wrong + len(p - g), missed + len(g - p)
    precision, recall = right / max(right + wrong, 1), right / max(right + missed, 1)
    return 2 * precision * recall / max(precision + recall, 1e-12), precision, recall


@check.step("train", needs=["model"])
def train(ctx):
    """After training with fixed seeds, the tagger finds held-out entities (names it never saw) with F1 >= threshold."""
    mine = ctx.learner(FILE)
    train_set, test_set, vocab = _dataset()
    data = _tensors(train_set, vocab, ctx.device)
    seed_everything(0)
    net = mine.BiLSTMCRF(len(vocab) + 2, len(TAGS)).to(ctx.device)
    started = time.perf_counter()
    losses = mine.train(net, data, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=0, progress=ctx.progress)
    ctx.metrics["train_seconds"] = round(time.perf_counter() - started, 2)
    if not isinstance(losses, list) or len(losses) != EPOCHS:
        got = f"a list of {len(losses)}" if isinstance(losses, list) else type(losses).__name__
        fail(f"train(..., epochs={EPOCHS}) should return a list of {EPOCHS} mean losses, one per epoch; got {got}")
    test = _tensors(test_set, vocab, ctx.device)
    net.eval()
    with torch.no_grad():
        predicted = net.decode(test["chars"], test["mask"])
    gold = [tags for _, tags in test_set]
    predicted = [[int(t) for t in p] for p in predicted]
    f1, precision, recall = _f1(gold, predicted)
    ctx.metrics.update(
        test_f1=round(f1, 4),
        precision=round(precision, 4),
        recall=round(recall, 4),
        final_loss=round(float(losses[-1]), 4),
        train_sentences=len(train_set),
        test_sentences=len(test_set),
    )
    if f1 < THRESHOLD:
        fail(
            f"entity F1 {f1:.4f} on {len(test_set)} held-out sentences is below {THRESHOLD} "
            f"(precision {precision:.3f}, recall {recall:.3f}; the reference reaches about 0.85; losses by epoch "
            f"{[round(float(v), 3) for v in losses]}). Is every batch going through model.loss, zero_grad, backward "
            f"and Adam's step at lr={LR}?"
        )
    return f"entity F1 {f1:.4f} on held-out sentences with unseen names (threshold {THRESHOLD})"

"""Check for the seq2seq-dates lab: the attention step against F.scaled_dot_product_attention, the
decoder's teacher forcing against the same decoder stepped by hand, the loss's shift, greedy decoding
and beam search on small random recurrent models whose every sequence the check can enumerate (beam
size 1 is greedy, scores are the sums of the model's log-probabilities, hypotheses stop at EOS, an
exhaustive beam finds the best sequence), then exact-match accuracy on held-out dates after training,
with beam search never scoring worse than greedy under the trained model."""

import datetime
import functools
import math
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
FILE = "seq2seq.py"
TOL = {"rtol": 1e-4, "atol": 1e-5}
PAD, BOS, EOS = 0, 1, 2
TARGET = ["<pad>", "<s>", "</s>", *"0123456789-"]  # the target vocabulary: ISO dates, YYYY-MM-DD
TRAIN_SIZE, TEST_SIZE, BEAM_TESTS = 2000, 200, 60
EPOCHS, BATCH_SIZE, LR = 4, 128, 0.02
THRESHOLD = 0.7  # the reference: 0.895-0.945 over 5 seeds; a one-way GRU encoder 0.825-0.89; no attention ~0.06
MAX_LEN = 11  # ten characters and EOS

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ZH_WEEKDAYS = "一二三四五六日"


def _ordinal(n):
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# Every way the check writes a date; month and weekday names from the tables above, never the locale.
FORMATS = [
    lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}",  # 2 December 2026
    lambda d: f"{MONTHS[d.month - 1]} {d.day}, {d.year}",  # December 2, 2026
    lambda d: f"{MONTHS[d.month - 1][:3]} {d.day} {d.year}",  # Dec 2 2026
    lambda d: f"{d.day:02d} {MONTHS[d.month - 1][:3]} {d.year}",  # 02 Dec 2026
    lambda d: f"{WEEKDAYS[d.weekday()]}, {MONTHS[d.month - 1]} {d.day}, {d.year}",  # Wednesday, December 2, 2026
    lambda d: f"{WEEKDAYS[d.weekday()][:3]} {d.day} {MONTHS[d.month - 1][:3]} {d.year}",  # Wed 2 Dec 2026
    lambda d: f"{MONTHS[d.month - 1]} {_ordinal(d.day)}, {d.year}",  # December 2nd, 2026
    lambda d: d.strftime("%m/%d/%Y"),  # 12/02/2026 (month first, as in the US)
    lambda d: d.strftime("%d.%m.%Y"),  # 02.12.2026 (day first, as in Germany)
    lambda d: d.strftime("%Y/%m/%d"),  # 2026/12/02
    lambda d: d.strftime("%Y%m%d"),  # 20261202
    lambda d: f"{d.year}年{d.month}月{d.day}日",  # 2026年12月2日
    lambda d: f"{d.year}年{d.month}月{d.day}日 星期{ZH_WEEKDAYS[d.weekday()]}",  # 2026年12月2日 星期三
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日 周{ZH_WEEKDAYS[d.weekday()]}",  # 2026年12月02日 周三
]


# ---------------------------------------------------------------- attention


def _attention_cases(device):
    g = torch.Generator().manual_seed(61)
    cases = [("visible case: query (2, 3), keys (2, 4, 3), lengths [4, 2]", g, 2, 4, 3, [4, 2])]
    for case in hidden_cases(seed=61, count=10):
        batch, length, width = case.randint(1, 4), case.randint(1, 7), case.randint(1, 8)
        lengths = [case.randint(1, length) for _ in range(batch)]
        lengths[case.randint(0, batch - 1)] = length
        label = f"{case.name}: query ({batch}, {width}), keys ({batch}, {length}, {width}), lengths {lengths}"
        cases.append((label, case.generator, batch, length, width, lengths))
    for label, generator, batch, length, width, lengths in cases:
        query = torch.randn(batch, width, generator=generator)
        keys = torch.randn(batch, length, width, generator=generator)
        mask = torch.arange(length).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
        keys = torch.where(mask.unsqueeze(2), keys, 30.0 * torch.ones_like(keys))  # padding large: using it shows
        yield label, query.to(device), keys.to(device), mask.to(device)


@check.step("attention")
def attention(ctx):
    """attention(query, keys, mask) matches F.scaled_dot_product_attention with scale 1 and the padding mask."""
    mine = ctx.learner(FILE)
    for label, query, keys, mask in _attention_cases(ctx.device):
        result = mine.attention(query, keys, mask)
        if not (isinstance(result, tuple) and len(result) == 2):
            fail(f"attention(query, keys, mask), {label}: return the tuple (context, weights)")
        context, weights = result
        q = query.unsqueeze(1)  # one query per row
        expected = F.scaled_dot_product_attention(q, keys, keys, attn_mask=mask.unsqueeze(1), scale=1.0).squeeze(1)
        scores = (keys @ query.unsqueeze(2)).squeeze(2)
        expected_weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)
        name = f"attention(query, keys, mask), {label}"
        assert_shape(
            weights, tuple(mask.shape), name="the weights from " + name, hint="One weight per source position: (B, S)."
        )
        hint = "scores = keys @ query (B, S), not scaled; padding filled with -inf; softmax over S."
        if torch.allclose(weights, torch.softmax(scores, dim=1), atol=1e-5) and not mask.all():
            hint = (
                "Your weights give the padding a share: fill the scores with -inf where mask is False before "
                "the softmax."
            )
        elif torch.allclose(
            weights, torch.softmax(scores / math.sqrt(query.shape[1]), dim=1).masked_fill(~mask, 0), atol=1e-5
        ):
            hint = (
                "Your scores are divided by sqrt(H): this lab's attention is the plain dot product (Luong's dot score)."
            )
        assert_close(weights, expected_weights, **TOL, name="the weights from " + name, hint=hint)
        assert_close(
            context,
            expected,
            **TOL,
            name="the context from " + name,
            hint="context = weights @ keys: (B, 1, S) @ (B, S, H), squeezed to (B, H).",
        )


# ---------------------------------------------------------------- the decoder and its loss


def _model_cases(device):
    """(label, kwargs, src, src_mask, tgt) for the visible and hidden model sizes; tgt starts with BOS."""
    g = torch.Generator().manual_seed(62)
    sizes = [("Seq2Seq(src_vocab=20, tgt_vocab=14)", {"src_vocab": 20, "tgt_vocab": 14}, 3, 6, 5, g)]
    for case in hidden_cases(seed=62, count=5):
        kwargs = {
            "src_vocab": case.randint(3, 25),
            "tgt_vocab": case.randint(3, 15),
            "embed": case.randint(1, 12),
            "hidden": 2 * case.randint(1, 8),
        }
        call = ", ".join(f"{k}={v}" for k, v in kwargs.items())
        sizes.append(
            (
                f"Seq2Seq({call}), {case.name}",
                kwargs,
                case.randint(1, 4),
                case.randint(1, 7),
                case.randint(1, 6),
                case.generator,
            )
        )
    for label, kwargs, batch, length, steps, generator in sizes:
        lengths = [length, *torch.randint(1, length + 1, (batch - 1,), generator=generator).tolist()]
        mask = torch.arange(length).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
        src = torch.randint(1, kwargs["src_vocab"], (batch, length), generator=generator) * mask
        tgt = (
            torch.randint(3, kwargs["tgt_vocab"], (batch, steps + 1), generator=generator)
            if kwargs["tgt_vocab"] > 3
            else torch.randint(0, kwargs["tgt_vocab"], (batch, steps + 1), generator=generator)
        )
        tgt[:, 0] = BOS
        label += f", src {tuple(src.shape)} with lengths {lengths}, tgt {tuple(tgt.shape)}"
        yield label, kwargs, src.to(device), mask.to(device), tgt.to(device)


@check.step("decoder", needs=["attention"])
def decoder(ctx):
    """decode_step gives log-probabilities; forward feeds the gold previous tokens (teacher forcing) and
    equals decode_step run by hand on them."""
    mine = ctx.learner(FILE)
    for label, kwargs, src, mask, tgt in _model_cases(ctx.device):
        seed_everything(0)
        model = mine.Seq2Seq(**kwargs).to(ctx.device).eval()  # eval: no dropout, the same numbers twice
        tgt_in = tgt[:, :-1]
        with torch.no_grad():
            got = model(src, mask, tgt_in)
            state = model.encode(src, mask)
            steps = []
            for t in range(tgt_in.shape[1]):
                log_probs, state = model.decode_step(tgt_in[:, t], state)
                steps.append(log_probs)
            expected = torch.stack(steps, dim=1)
        vocab = kwargs["tgt_vocab"]
        assert_shape(
            log_probs,
            (src.shape[0], vocab),
            name=f"decode_step(tokens, state) of {label}",
            hint="One row of log-probabilities over the target vocabulary per hypothesis: (B, V).",
        )
        assert_close(
            torch.logsumexp(log_probs, dim=1),
            torch.zeros(src.shape[0], device=ctx.device),
            rtol=0,
            atol=1e-4,
            name=f"logsumexp of decode_step's output, {label}",
            hint="decode_step returns log-probabilities: F.log_softmax(scores, dim=1), whose exp sums to 1.",
        )
        assert_shape(
            got,
            (src.shape[0], tgt_in.shape[1], vocab),
            name=f"{label}: model(src, src_mask, tgt_in)",
            hint="One row of log-probabilities per input token: (B, T, V).",
        )
        hint = (
            "Teacher forcing: at step t the decoder reads the GOLD token tgt_in[:, t], whatever it predicted, "
            "and forward returns what decode_step gives for each of them, stacked on axis 1."
        )
        assert_close(
            got,
            expected,
            rtol=1e-4,
            atol=1e-4,
            name=f"{label}: model(src, src_mask, tgt_in) against decode_step run by hand on the gold tokens",
            hint=hint,
        )


@check.step("loss", needs=["decoder"])
def loss(ctx):
    """teacher_forcing_loss reads tgt[:, :-1] and predicts tgt[:, 1:]: the mean NLL of every next token."""
    mine = ctx.learner(FILE)
    for label, kwargs, src, mask, tgt in _model_cases(ctx.device):
        seed_everything(0)
        model = mine.Seq2Seq(**kwargs).to(ctx.device).eval()
        got = mine.teacher_forcing_loss(model, src, mask, tgt)
        with torch.no_grad():
            log_probs = model(src, mask, tgt[:, :-1])
            expected = F.nll_loss(log_probs.reshape(-1, log_probs.shape[-1]), tgt[:, 1:].reshape(-1))
            unshifted = F.nll_loss(model(src, mask, tgt).reshape(-1, log_probs.shape[-1]), tgt.reshape(-1))
        hint = (
            "loss = F.nll_loss(model(src, src_mask, tgt[:, :-1]) reshaped to (B*T, V), tgt[:, 1:] reshaped to (B*T,))."
        )
        if isinstance(got, torch.Tensor) and got.numel() == 1:
            value = float(got.detach())
            if abs(value - float(unshifted)) < 1e-4 and abs(float(unshifted) - float(expected)) > 1e-4:
                hint = (
                    "Your loss asks the decoder to predict the token it is reading (no shift): the input is "
                    "tgt[:, :-1] (BOS onwards) and the target tgt[:, 1:] (one step ahead, EOS included)."
                )
            elif abs(value - float(expected) * tgt[:, 1:].numel()) < 1e-3 * tgt.numel():
                hint = "That is the sum over every token; take the mean (F.nll_loss's default)."
        if not isinstance(got, torch.Tensor) or got.dim() != 0:
            fail(
                f"teacher_forcing_loss, {label}: return a scalar tensor; "
                f"got {getattr(got, 'shape', type(got).__name__)}"
            )
        assert_close(got, expected, **TOL, name=f"teacher_forcing_loss(model, src, src_mask, tgt), {label}", hint=hint)
        if not got.requires_grad:
            fail(f"teacher_forcing_loss, {label}, does not backpropagate: no .item() or argmax inside")


# ---------------------------------------------------------------- greedy and beam search on toy models


class _Toy:
    """A small random recurrent 'model' for the search steps: each next-token distribution depends on the
    whole prefix through a hidden state, so a search that mixes up its states scores wrong. The state is a
    tensor, or a tuple (hidden, a constant rider) to exercise both forms of the state contract."""

    def __init__(self, generator, vocab, width, sharpness, tuple_state, device):
        self.vocab, self.bos = vocab, vocab  # BOS is one more input token, never an output
        self.embed = (torch.randn(vocab + 1, width, generator=generator) * 1.5).to(device)
        self.w = (torch.randn(width, width, generator=generator) / math.sqrt(width)).to(device)
        self.out = (torch.randn(width, vocab, generator=generator) * sharpness).to(device)
        self.h0 = torch.randn(1, width, generator=generator).to(device)
        self.tuple_state = tuple_state
        self.calls = 0

    def initial(self):
        return (self.h0, torch.ones(1, 2, device=self.h0.device)) if self.tuple_state else self.h0

    def step(self, tokens, state):
        self.calls += 1
        h = state[0] if self.tuple_state else state
        if tokens.dim() != 1 or tokens.shape[0] != h.shape[0]:
            fail(
                f"step(tokens, state) got tokens of shape {tuple(tokens.shape)} for a state of {h.shape[0]} "
                "hypotheses: pass one previous token per hypothesis, a (K,) long tensor, with the state's rows in "
                "the same order"
            )
        h = torch.tanh(self.embed[tokens] + h @ self.w)
        log_probs = F.log_softmax(h @ self.out, dim=1)
        return log_probs, ((h, state[1]) if self.tuple_state else h)

    def replay(self, tokens):
        """The score of a token sequence: the sum of its log-probabilities, stepping from BOS with K = 1."""
        state, previous, score = self.initial(), self.bos, 0.0
        for token in tokens:
            log_probs, state = self.step(torch.tensor([previous], device=self.h0.device), state)
            score += float(log_probs[0, token])
            previous = token
        return score

    def greedy(self, eos, max_len):
        state, previous, tokens = self.initial(), self.bos, []
        while len(tokens) < max_len and (not tokens or tokens[-1] != eos):
            log_probs, state = self.step(torch.tensor([previous], device=self.h0.device), state)
            previous = int(log_probs[0].argmax())
            tokens.append(previous)
        return tokens

    def best(self, eos, max_len):
        """The best sequence by enumerating them all: ends at EOS, or after max_len tokens."""
        live, done = [([], 0.0, self.initial())], []
        while live:
            tokens = torch.tensor([t[-1] if t else self.bos for t, _, _ in live], device=self.h0.device)
            if self.tuple_state:
                state = (torch.cat([s[0] for _, _, s in live]), torch.cat([s[1] for _, _, s in live]))
            else:
                state = torch.cat([s for _, _, s in live])
            log_probs, state = self.step(tokens, state)
            grown = []
            for row, (prefix, score, _) in enumerate(live):
                row_state = (
                    (state[0][row : row + 1], state[1][row : row + 1]) if self.tuple_state else state[row : row + 1]
                )
                for token in range(self.vocab):
                    item = ([*prefix, token], score + float(log_probs[row, token]), row_state)
                    (done if token == eos or len(prefix) + 1 == max_len else grown).append(item)
            live = grown
        tokens, score, _ = max(done, key=lambda item: item[1])
        return tokens, score


def _toys(seed, count, device):
    """The visible toy, then hidden ones: (label, toy, eos, max_len)."""
    g = torch.Generator().manual_seed(seed)
    yield "visible toy model: 4 tokens, EOS = 0, max_len 4", _Toy(g, 4, 5, 2.0, False, device), 0, 4
    for case in hidden_cases(seed=seed, count=count):
        vocab, max_len = case.randint(2, 4), case.randint(1, 5)
        eos, tuple_state = case.randint(0, vocab - 1), case.randint(0, 1) == 1
        sharpness = case.rng.choice([0.5, 1.5, 3.0])
        label = (
            f"{case.name}: toy model with {vocab} tokens, EOS = {eos}, max_len {max_len}, "
            f"{'tuple' if tuple_state else 'tensor'} state"
        )
        yield label, _Toy(case.generator, vocab, case.randint(1, 6), sharpness, tuple_state, device), eos, max_len


def _as_tokens(tokens, label):
    if isinstance(tokens, torch.Tensor):
        tokens = tokens.tolist()
    if not isinstance(tokens, (list, tuple)) or not all(isinstance(t, int) or hasattr(t, "__index__") for t in tokens):
        fail(f"{label}: tokens should be a list of ints; got {tokens!r}")
    return [int(t) for t in tokens]


def _judge_hypothesis(tokens, score, toy, eos, max_len, label):
    """One returned hypothesis: stops at its first EOS, or has max_len tokens; its score is the model's."""
    if eos in tokens[:-1]:
        fail(
            f"{label}: {tokens} goes on after EOS ({eos}). A hypothesis that emits EOS is finished: keep it "
            "as it is (EOS last) and never extend it."
        )
    if toy.bos in tokens:
        fail(f"{label}: {tokens} contains BOS ({toy.bos}); return the tokens after it.")
    if len(tokens) > max_len:
        fail(f"{label}: {tokens} has {len(tokens)} tokens, more than max_len = {max_len} (EOS counts as one).")
    if (not tokens or tokens[-1] != eos) and len(tokens) != max_len:
        fail(
            f"{label}: {tokens} stopped after {len(tokens)} tokens without EOS; a hypothesis ends at EOS or "
            f"after max_len = {max_len} tokens."
        )
    expected = toy.replay(tokens)
    if not isinstance(score, (int, float)) and not (isinstance(score, torch.Tensor) and score.numel() == 1):
        fail(f"{label}: the score of {tokens} should be a number; got {score!r}")
    if abs(float(score) - expected) > 1e-4 * max(1.0, abs(expected)):
        fail(
            f"{label}: {tokens} is reported with score {float(score):.5f}, but the model gives it "
            f"{expected:.5f} (the sum of log p(token | prefix) from BOS). If only longer hypotheses are off, the "
            "states were not reordered with their hypotheses: after choosing the survivors, take the state rows "
            "they came from (state.index_select(0, rows) for every tensor in the state)."
        )


@check.step("greedy")
def greedy(ctx):
    """greedy_decode picks the most likely token at each step, stops at EOS or max_len, and sums the log-probs."""
    mine = ctx.learner(FILE)
    for label, toy, eos, max_len in _toys(seed=63, count=10, device=ctx.device):
        result = mine.greedy_decode(toy.step, toy.initial(), toy.bos, eos, max_len)
        if not (isinstance(result, tuple) and len(result) == 2):
            fail(f"greedy_decode(...), {label}: return the tuple (tokens, score)")
        tokens = _as_tokens(result[0], f"greedy_decode(...), {label}")
        expected = toy.greedy(eos, max_len)
        _judge_hypothesis(tokens, result[1], toy, eos, max_len, f"greedy_decode(...), {label}")
        if tokens != expected:
            fail(
                f"greedy_decode(...), {label}: expected {expected} (the argmax at every step, stopping at EOS "
                f"= {eos} or after {max_len} tokens), got {tokens}."
            )


def _show(hypotheses):
    return "[" + ", ".join(f"({tokens}, {score:.4f})" for tokens, score in hypotheses) + "]"


@check.step("beam-search", needs=["greedy"])
def beam_search(ctx):
    """beam_search: beam 1 is greedy, every score is the model's, hypotheses end at EOS or max_len, best first,
    and a beam wide enough to keep every prefix finds the best sequence found by enumeration."""
    mine, reference = ctx.learner(FILE), ctx.solution(FILE)
    for label, toy, eos, max_len in _toys(seed=64, count=10, device=ctx.device):
        greedy_tokens = toy.greedy(eos, max_len)
        greedy_score = toy.replay(greedy_tokens)
        best_tokens, best_score = toy.best(eos, max_len)
        everything = toy.vocab**max_len  # more room than there are sequences: nothing is ever pruned
        for beam_size in (1, 2, 3, everything):
            name = f"beam_search(..., beam_size={beam_size}), {label}"
            result = mine.beam_search(toy.step, toy.initial(), toy.bos, eos, beam_size, max_len)
            if not isinstance(result, (list, tuple)) or not result or len(result) > beam_size:
                fail(f"{name}: return a list of 1 to {beam_size} (tokens, score) pairs, best first; got {result!r}")
            hypotheses = []
            for item in result:
                if not (isinstance(item, (tuple, list)) and len(item) == 2):
                    fail(f"{name}: each hypothesis should be a (tokens, score) pair; got {item!r}")
                tokens = _as_tokens(item[0], name)
                _judge_hypothesis(tokens, item[1], toy, eos, max_len, name)
                hypotheses.append((tokens, float(item[1])))
            scores = [score for _, score in hypotheses]
            if scores != sorted(scores, reverse=True):
                fail(f"{name}: the hypotheses should come best first; the scores are {[round(s, 4) for s in scores]}")
            if len({tuple(tokens) for tokens, _ in hypotheses}) != len(hypotheses):
                fail(f"{name}: the same hypothesis is returned twice: {[tokens for tokens, _ in hypotheses]}")
            top_tokens, top_score = hypotheses[0]
            if beam_size == 1 and top_tokens != greedy_tokens:
                fail(
                    f"{name}: with one hypothesis, beam search is greedy decoding: expected {greedy_tokens} "
                    f"(score {greedy_score:.4f}), got {top_tokens} (score {top_score:.4f})."
                )
            if beam_size in (2, 3):
                expected = reference.beam_search(toy.step, toy.initial(), toy.bos, eos, beam_size, max_len)
                expected = [(list(tokens), float(score)) for tokens, score in expected]
                same = len(expected) == len(hypotheses) and all(
                    mine_tokens == tokens and abs(mine_score - score) <= 1e-4 * max(1.0, abs(score))
                    for (mine_tokens, mine_score), (tokens, score) in zip(hypotheses, expected, strict=True)
                )
                if not same:
                    fail(
                        f"{name}: expected {_show(expected)}, got {_show(hypotheses)}. At every step this lab's beam "
                        "ranks every extension of every live hypothesis by its TOTAL score (the hypothesis's score "
                        "plus the token's log-probability), keeps the best (beam_size - finished) of them, moves "
                        "those ending in EOS to the finished list, and stops when beam_size are finished or after "
                        "max_len tokens; it returns the best beam_size of finished + live."
                    )
            if beam_size == everything and abs(top_score - best_score) > 1e-4 * max(1.0, abs(best_score)):
                fail(
                    f"{name}: with room for every prefix nothing is pruned, so the best of all sequences, "
                    f"{best_tokens} (score {best_score:.4f}), must come first; got {top_tokens} (score "
                    f"{top_score:.4f}). Are finished hypotheses (EOS) kept until the end, and compared with the "
                    "unfinished ones by their total score?"
                )


# ---------------------------------------------------------------- training on dates


@functools.lru_cache(maxsize=1)
def _dataset():
    """(train, test, source vocabulary): (text, ISO date) pairs for dates from 1950 to 2049, in every format,
    drawn with a fixed seed; no test text appears in the training set."""
    rng = random.Random(2024)
    first, last = datetime.date(1950, 1, 1).toordinal(), datetime.date(2049, 12, 31).toordinal()

    def draw():
        day = datetime.date.fromordinal(rng.randint(first, last))
        return rng.choice(FORMATS)(day), day.isoformat()

    train = [draw() for _ in range(TRAIN_SIZE)]
    seen = {text for text, _ in train}
    test = []
    while len(test) < TEST_SIZE:
        text, iso = draw()
        if text not in seen:
            test.append((text, iso))
    # Every character any format can write (month and weekday names, digits, punctuation, the Chinese forms).
    chars = set("".join(MONTHS + WEEKDAYS) + "0123456789 ,./年月日星期周" + ZH_WEEKDAYS + "stndrh")
    chars |= {c for text, _ in train + test for c in text}
    vocab = {c: i for i, c in enumerate(sorted(chars), start=1)}
    return train, test, vocab


def _tensors(pairs, vocab, device):
    longest = max(len(text) for text, _ in pairs)
    src = torch.zeros(len(pairs), longest, dtype=torch.long)
    for i, (text, _) in enumerate(pairs):
        src[i, : len(text)] = torch.tensor([vocab[c] for c in text])
    tgt = torch.tensor([[BOS] + [TARGET.index(c) for c in iso] + [EOS] for _, iso in pairs])
    return {"src": src.to(device), "src_mask": (src != PAD).to(device), "tgt": tgt.to(device)}


def _text(tokens):
    return "".join(TARGET[t] for t in tokens if t > EOS)


@check.step("train", needs=["loss", "greedy", "beam-search"])
def train(ctx):
    """After training with fixed seeds, greedy decoding writes held-out dates exactly; beam search (3) never
    scores worse than greedy under the trained model."""
    mine = ctx.learner(FILE)
    train_set, test_set, vocab = _dataset()
    data = _tensors(train_set, vocab, ctx.device)
    seed_everything(0)
    model = mine.Seq2Seq(len(vocab) + 1, len(TARGET)).to(ctx.device)
    started = time.perf_counter()
    losses = mine.train(model, data, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=0, progress=ctx.progress)
    ctx.metrics["train_seconds"] = round(time.perf_counter() - started, 2)
    if not isinstance(losses, list) or len(losses) != EPOCHS:
        got = f"a list of {len(losses)}" if isinstance(losses, list) else type(losses).__name__
        fail(f"train(..., epochs={EPOCHS}) should return a list of {EPOCHS} mean losses, one per epoch; got {got}")
    model.eval()
    right, beam_right, wrong, worse = 0, 0, [], []
    with torch.no_grad():
        for index, (text, iso) in enumerate(test_set):
            one = _tensors([(text, iso)], vocab, ctx.device)
            tokens, score = mine.greedy_decode(
                model.decode_step, model.encode(one["src"], one["src_mask"]), BOS, EOS, MAX_LEN
            )
            guess = _text(_as_tokens(tokens, "greedy_decode on the trained model"))
            right += guess == iso
            if guess != iso and len(wrong) < 3:
                wrong.append(f"{text!r} -> {guess!r} (expected {iso})")
            if index < BEAM_TESTS:
                beams = mine.beam_search(
                    model.decode_step, model.encode(one["src"], one["src_mask"]), BOS, EOS, 3, MAX_LEN
                )
                beam_tokens, beam_score = beams[0]
                beam_right += _text(_as_tokens(beam_tokens, "beam_search on the trained model")) == iso
                if float(beam_score) < float(score) - 1e-4:
                    worse.append(f"{text!r}: beam {float(beam_score):.4f} < greedy {float(score):.4f}")
    accuracy = right / len(test_set)
    ctx.metrics.update(
        exact_match=round(accuracy, 4),
        beam_exact_match=round(beam_right / BEAM_TESTS, 4),
        final_loss=round(float(losses[-1]), 4),
        train_pairs=len(train_set),
        test_pairs=len(test_set),
    )
    if worse:
        fail(
            f"beam search (beam 3) scored worse than greedy decoding on {len(worse)} of {BEAM_TESTS} held-out dates "
            f"under the trained model, e.g. {worse[0]}. A beam keeps the greedy path unless something better "
            "replaces it: are the best total scores (not the last step's log-probabilities) what survives?"
        )
    if accuracy < THRESHOLD:
        fail(
            f"exact match {accuracy:.4f} on {len(test_set)} held-out dates is below {THRESHOLD} (the reference "
            f"reaches about 0.9; losses by epoch {[round(float(v), 3) for v in losses]}; for example "
            f"{'; '.join(wrong)}). Is every batch going through teacher_forcing_loss, zero_grad, backward and "
            f"Adam's step at lr={LR}?"
        )
    return (
        f"exact match {accuracy:.4f} on {len(test_set)} held-out dates with greedy decoding (threshold "
        f"{THRESHOLD}); beam 3 on the first {BEAM_TESTS}: {beam_right / BEAM_TESTS:.4f}, never below greedy"
    )

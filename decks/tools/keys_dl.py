"""Computed keys for three decks: cv-detection-and-beyond, pretrained-language-models and
training-at-scale.

A card's answer is typed by hand in the YAML; these functions recompute it from first principles
(IoU, NMS, AP, BPE merges, arc-standard parses, memory arithmetic, fp16/bf16 limits via torch.finfo,
...) so a reader can re-run the arithmetic instead of trusting it. One group function per deck
(GROUPS) returns all of that deck's keys; check_numbers.py compares them with the decks:
`python decks/tools/check_numbers.py training-at-scale`.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

DECKS = {"cv-detection-and-beyond", "pretrained-language-models", "training-at-scale"}
GB = 1e9  # decimal gigabytes, as GPU vendors and papers quote memory


# ---------------------------------------------------------------- detection helpers
def area(box):
    x1, y1, x2, y2 = box
    return max(0, x2 - x1) * max(0, y2 - y1)


def intersection(a, b):
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def iou(a, b):
    inter = intersection(a, b)
    return inter / (area(a) + area(b) - inter)


def giou(a, b):
    hull = (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))
    union = area(a) + area(b) - intersection(a, b)
    return iou(a, b) - (area(hull) - union) / area(hull)


def nms(boxes: dict, scores: dict, threshold: float) -> list[str]:
    """Greedy per-class NMS: keep the best box, drop boxes overlapping it by more than threshold."""
    order = sorted(boxes, key=lambda name: -scores[name])
    kept = []
    while order:
        best = order.pop(0)
        kept.append(best)
        order = [name for name in order if iou(boxes[best], boxes[name]) <= threshold]
    return kept


def precision_recall(flags: list[bool], n_ground_truth: int):
    tp = fp = 0
    points = []
    for is_tp in flags:
        tp += is_tp
        fp += not is_tp
        points.append((tp / (tp + fp), tp / n_ground_truth))
    return points


def ap_all_points(flags, n_ground_truth):
    """Area under the precision envelope (VOC2010+ / COCO style interpolation)."""
    points = precision_recall(flags, n_ground_truth)
    total, previous_recall = 0.0, 0.0
    for i, (_, recall) in enumerate(points):
        if recall > previous_recall:
            envelope = max(p for p, _ in points[i:])
            total += (recall - previous_recall) * envelope
            previous_recall = recall
    return total


def ap_11_points(flags, n_ground_truth):
    points = precision_recall(flags, n_ground_truth)
    thresholds = [i / 10 for i in range(11)]
    return sum(max([p for p, r in points if r >= t - 1e-12], default=0.0) for t in thresholds) / 11


def coco_ap_same_iou(iou_of_every_box: float, n_objects: int = 3) -> float:
    """COCO AP of a detector that finds every object once with the same IoU: at each threshold
    0.50, 0.55, ..., 0.95 its boxes are all TPs (IoU >= threshold) or all FPs."""
    thresholds = [round(0.5 + 0.05 * i, 2) for i in range(10)]
    return sum(ap_all_points([iou_of_every_box >= t] * n_objects, n_objects) for t in thresholds) / len(thresholds)


def receptive_field(layers):
    """layers: (kernel, stride, dilation). r grows by (effective kernel - 1) * jump; jump *= stride."""
    r, jump = 1, 1
    for kernel, stride, dilation in layers:
        r += dilation * (kernel - 1) * jump
        jump *= stride
    return r


def ctc_collapse(path: str, blank: str = "-") -> str:
    merged = [ch for i, ch in enumerate(path) if i == 0 or ch != path[i - 1]]
    return "".join(ch for ch in merged if ch != blank)


def ctc_min_frames(label: str) -> int:
    """Each character needs a frame, and a blank must separate equal neighbours."""
    return len(label) + sum(a == b for a, b in itertools.pairwise(label))


def cv_keys() -> dict:
    """Every key of the cv-detection-and-beyond deck, as {"deck/card-id": key}."""
    k = {}
    x1, y1, x2, y2 = 10, 20, 50, 100
    k["box-corner-to-center"] = f"({(x1 + x2) // 2}, {(y1 + y2) // 2}, {x2 - x1}, {y2 - y1})"
    k["iou-half-shift"] = round(iou((0, 0, 10, 10), (5, 0, 15, 10)), 3)
    assert Fraction(50, 150) == Fraction(intersection((0, 0, 10, 10), (5, 0, 15, 10)), 150)
    k["iou-contained-box"] = iou((0, 0, 4, 4), (0, 0, 8, 8))
    k["giou-disjoint"] = round(giou((0, 0, 2, 2), (3, 0, 5, 2)), 3)
    boxes = {"A": (0, 0, 10, 10), "B": (1, 1, 11, 11), "C": (20, 20, 30, 30), "D": (6, 0, 16, 10)}
    scores = {"A": 0.9, "B": 0.8, "C": 0.75, "D": 0.7}
    k["nms-four-boxes-choice"] = ", ".join(sorted(nms(boxes, scores, 0.5)))
    assert ", ".join(sorted(nms(boxes, scores, 0.2))) == "A, C"  # the back's contrast: a stricter threshold
    assert round(iou(boxes["A"], boxes["B"]), 2) == 0.68 and iou(boxes["A"], boxes["D"]) == 0.25
    k["d2l-anchor-count"] = 561 * 728 * (3 + 3 - 1)
    k["anchor-width-ratio-2"] = round(128 * math.sqrt(2), 1)
    k["yolov3-box-count"] = sum((416 // s) ** 2 * 3 for s in (8, 16, 32))
    k["yolov1-output-shape"] = f"(7, 7, {2 * 5 + 20})"
    k["roi-pool-fc-input"] = 512 * 7 * 7
    k["rpn-reg-channels"] = 4 * 9
    cx, cy, w, h = 50, 50, 100, 100
    tx, ty, tw, th = 0.1, -0.2, math.log(2), 0.0
    decoded = (cx + tx * w, cy + ty * h, w * math.exp(tw), h * math.exp(th))
    k["box-decode-offsets"] = "({:g}, {:g}, {:g}, {:g})".format(*(round(v, 6) for v in decoded))
    k["box-encode-tw"] = round(math.log(200 / 100), 3)
    k["focal-loss-easy-factor"] = round(1 / (1 - 0.9) ** 2)
    k["fpn-level-112"] = f"P{math.floor(4 + math.log2(math.sqrt(112 * 112) / 224))}"
    flags = [True, False, True, True, False, False]
    points = precision_recall(flags, 4)
    k["ap-precision-at-3"] = round(points[2][0], 3)
    k["ap-all-point"] = ap_all_points(flags, 4)
    k["ap-11-point"] = round(ap_11_points(flags, 4), 3)
    k["map-two-classes"] = (ap_all_points(flags, 4) + 0.9) / 2
    k["ap-duplicate-detection"] = round(ap_all_points([True, False, True], 2), 3)
    assert ap_all_points([True, True], 2) == 1.0  # the back: NMS removing the duplicate restores AP 1
    k["coco-ap-loose-boxes"] = coco_ap_same_iou(0.62)
    assert coco_ap_same_iou(0.62, n_objects=1) == 0.3 and ap_all_points([True] * 3, 3) == 1.0  # AP50 = 1
    confusion = [[50, 2, 0], [3, 30, 5], [0, 4, 6]]  # rows: true class, columns: predicted
    ious = []
    for c in range(3):
        tp = confusion[c][c]
        fn = sum(confusion[c]) - tp
        fp = sum(row[c] for row in confusion) - tp
        ious.append(tp / (tp + fp + fn))
    k["miou-worked"] = round(sum(ious) / 3, 3)
    k["pixel-accuracy-worked"] = sum(confusion[c][c] for c in range(3)) / sum(map(sum, confusion))
    k["dice-from-iou"] = round(2 * 0.5 / (1 + 0.5), 3)
    k["fcn-upsample-height"] = (10 - 1) * 32 - 2 * 16 + 64
    assert (15 - 1) * 32 - 2 * 16 + 64 == 480
    k["densenet-d2l-block-channels"] = 3 + 2 * 10
    k["densenet121-block1-channels"] = 64 + 6 * 32
    k["densenet-connections"] = 5 * 6 // 2
    k["densenet-bc-layer-params"] = 192 * 128 + 128 * 32 * 9
    k["densenet-transition-shape"] = f"(32, {256 // 2}, {56 // 2}, {56 // 2})"
    k["vit-patch-count"] = (224 // 16) ** 2
    k["vit-seq-len"] = (224 // 16) ** 2 + 1
    k["vit-patch-embed-params"] = 3 * 16 * 16 * 768 + 768
    k["vit-pos-embed-params"] = ((224 // 16) ** 2 + 1) * 768
    k["vit-384-seq-len"] = (384 // 16) ** 2 + 1
    k["vit-patch8-attention-ratio"] = ((224 // 8) ** 2 / (224 // 16) ** 2) ** 2
    d, mlp = 768, 3072
    block = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * mlp + mlp) + (mlp * d + d)
    k["vit-b16-total-params"] = (3 * 16 * 16 * d + d) + d + 197 * d + 12 * block + 2 * d + (d * 1000 + 1000)
    k["mixup-soft-label"] = round(1 - 0.7, 2)
    k["cutmix-label-weight"] = (112 * 112) / (224 * 224)
    k["svhn-fixed-heads-params"] = 5 * (512 * 11 + 11)
    k["svhn-string-accuracy"] = round(0.95**4, 3)
    k["ctc-collapse-path"] = ctc_collapse("11-1-22")
    k["ctc-min-frames"] = ctc_min_frames("1123")
    k["rf-resnet-stem"] = receptive_field([(7, 2, 1), (3, 2, 1)])
    k["rf-dilated-stack"] = receptive_field([(3, 1, d) for d in (1, 2, 4, 8, 16)])
    vgg16 = [(3, 1, 1)] * 2 + [(2, 2, 1)] + [(3, 1, 1)] * 2 + [(2, 2, 1)]
    vgg16 += ([(3, 1, 1)] * 3 + [(2, 2, 1)]) * 3
    k["rf-vgg16-pool5"] = receptive_field(vgg16)
    assert receptive_field(vgg16[:-1]) == 196  # conv5_3, quoted in the back
    k["fastai-slice-middle-lr"] = 1e-6 * (1e-4 / 1e-6) ** 0.5  # even_mults over 3 layer groups
    return {f"cv-detection-and-beyond/{card_id}": key for card_id, key in k.items()}


# ---------------------------------------------------------------- language-model helpers
def bpe_merges(word_counts: dict, n_merges: int) -> list[tuple[str, str]]:
    """BPE as in the Hugging Face course: most frequent adjacent pair, no end-of-word marker."""
    splits = {w: list(w) for w in word_counts}
    merges = []
    for _ in range(n_merges):
        pairs: dict = {}
        for w, count in word_counts.items():
            for a, b in itertools.pairwise(splits[w]):
                pairs[(a, b)] = pairs.get((a, b), 0) + count
        best = max(pairs.values())
        winners = [p for p, c in pairs.items() if c == best]
        assert len(winners) == 1, f"tie between {winners}: the card would be ambiguous"
        a, b = winners[0]
        merges.append((a, b))
        for w in splits:
            s, i = splits[w], 0
            while i < len(s) - 1:
                if s[i] == a and s[i + 1] == b:
                    s[i : i + 2] = [a + b]
                else:
                    i += 1
    return merges


def bpe_tokenize(word: str, merges) -> list[str]:
    symbols = list(word)
    for a, b in merges:
        i = 0
        while i < len(symbols) - 1:
            if symbols[i] == a and symbols[i + 1] == b:
                symbols[i : i + 2] = [a + b]
            else:
                i += 1
    return symbols


def wordpiece_first_merge(word_counts: dict) -> tuple[str, str]:
    """WordPiece's merge score: freq(pair) / (freq(first) * freq(second)), pieces after the first get ##."""
    splits = {w: [w[0]] + ["##" + c for c in w[1:]] for w in word_counts}
    letter, pair = {}, {}
    for w, count in word_counts.items():
        for piece in splits[w]:
            letter[piece] = letter.get(piece, 0) + count
        for a, b in itertools.pairwise(splits[w]):
            pair[(a, b)] = pair.get((a, b), 0) + count
    scores = {p: c / (letter[p[0]] * letter[p[1]]) for p, c in pair.items()}
    best = max(scores.values())
    winners = [p for p, s in scores.items() if s == best]
    assert len(winners) == 1
    return winners[0]


def wordpiece_tokenize(word: str, vocab: set) -> list[str]:
    """Greedy longest-match-first, as BERT's tokenizer does."""
    tokens, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                tokens.append(piece)
                break
            end -= 1
        else:
            return ["[UNK]"]
        start = end
    return tokens


def unigram_best(word: str, probs: dict) -> list[str]:
    best, best_p = None, 0.0
    for cuts in itertools.product([False, True], repeat=len(word) - 1):
        pieces, start = [], 0
        for i, cut in enumerate(cuts, start=1):
            if cut:
                pieces.append(word[start:i])
                start = i
        pieces.append(word[start:])
        if all(p in probs for p in pieces):
            p = math.prod(probs[piece] for piece in pieces)
            assert not math.isclose(p, best_p), "tie"
            if p > best_p:
                best, best_p = pieces, p
    return best


def softmax(logits, temperature=1.0):
    exps = [math.exp(z / temperature) for z in logits]
    return [e / sum(exps) for e in exps]


def log_sigmoid_loss(margin: float) -> float:
    return -math.log(1 / (1 + math.exp(-margin)))


def arc_standard(words: list[str], heads: list[int]):
    """Parse with the static oracle; heads[i] is the 1-based head of words[i] (0 = ROOT).
    Returns [(transition, stack, buffer, arc)] with stack/buffer as word lists after the step."""
    names = ["ROOT", *words]
    stack, buffer, arcs, steps = [0], list(range(1, len(words) + 1)), [], []
    gold = {i + 1: h for i, h in enumerate(heads)}

    def attached_all_children(node):
        return all((node, child) in arcs for child, head in gold.items() if head == node)

    while buffer or len(stack) > 1:
        arc = None
        if len(stack) >= 2 and stack[-2] != 0 and gold[stack[-2]] == stack[-1]:
            arc = (stack[-1], stack[-2])
            transition = "LEFT-ARC"
            del stack[-2]
        elif len(stack) >= 2 and gold[stack[-1]] == stack[-2] and attached_all_children(stack[-1]):
            arc = (stack[-2], stack[-1])
            transition = "RIGHT-ARC"
            stack.pop()
        else:
            transition = "SHIFT"
            stack.append(buffer.pop(0))
        if arc:
            arcs.append(arc)
        steps.append(
            (
                transition,
                [names[i] for i in stack],
                [names[i] for i in buffer],
                f"{names[arc[0]]} → {names[arc[1]]}" if arc else "",
            )
        )
    return steps


def plm_keys() -> dict:
    """Every key of the pretrained-language-models deck, as {"deck/card-id": key}."""
    k = {}
    k["roberta-static-mask-repeats"] = 40 // 10
    v, h, e = 30000, 768, 128
    assert v * h == 23_040_000
    k["albert-factorized-embedding-params"] = v * e + e * h
    k["electra-loss-positions-ratio"] = round(1 / 0.15, 2)
    k["distilbert-size-reduction"] = round((1 - 66 / 110) * 100)
    k["bert-chinese-vocab"] = 21128
    k["gpt2-vocab-size"] = 256 + 50000 + 1
    k["vocab-growth-params"] = 2 * (128256 - 32000) * 4096
    corpus = {"hug": 10, "pug": 5, "pun": 12, "bun": 4, "hugs": 5}
    merges = bpe_merges(corpus, 3)
    assert merges == [("u", "g"), ("u", "n"), ("h", "ug")]
    k["bpe-tokenize-bugs"] = " ".join(bpe_tokenize("bugs", merges))
    k["wordpiece-first-merge-choice"] = " ".join(wordpiece_first_merge(corpus))
    k["wordpiece-greedy-longest"] = " ".join(wordpiece_tokenize("hugs", {"h", "##u", "##g", "##s", "hug", "##gs"}))
    probs = {"h": 0.05, "u": 0.05, "g": 0.05, "s": 0.05, "hu": 0.04, "ug": 0.08, "gs": 0.03, "hug": 0.02}
    k["unigram-best-segmentation"] = " ".join(unigram_best("hugs", probs))
    k["sbert-classifier-input-dim"] = 3 * 768
    k["cross-encoder-pair-count"] = 10_000 * 9_999 // 2
    sims, tau = [0.8, 0.7, 0.5], 0.05
    k["simcse-infonce-worked"] = round(-math.log(softmax([s / tau for s in sims])[0]), 3)
    k["temperature-softmax-worked"] = round(softmax([2, 1, 0], 0.5)[0], 3)
    probs4 = [0.5, 0.3, 0.15, 0.05]
    k["top-k-renormalized"] = probs4[1] / sum(sorted(probs4, reverse=True)[:2])
    cumulative, nucleus = 0.0, 0
    for p in sorted(probs4, reverse=True):
        cumulative += p
        nucleus += 1
        if cumulative >= 0.9:
            break
    k["top-p-nucleus-size"] = nucleus
    k["greedy-sequence-probability"] = round(0.5 * 0.4 * 0.4 * 0.6, 3)
    assert round(0.5 * 0.3 * 0.6 * 0.6, 3) == 0.054  # the better sequence the back names
    score_a, score_b = -1.2 / 2**0.75, -2.0 / 4**0.75
    k["length-normalization-choice"] = "B" if score_b > score_a else "A"
    assert -1.2 > -2.0  # without normalization A would win
    n, window, step = 1300, 510, 256
    k["sliding-window-count"] = math.ceil((n - window) / step) + 1
    k["long-attention-memory-ratio"] = (4096 / 512) ** 2
    k["chinchilla-flops-7b"] = 6 * 7e9 * (20 * 7e9)
    k["gpt3-12ld2-estimate"] = round(12 * 96 * 12288**2 / 1e9)
    k["sft-loss-token-count"] = 20
    k["reward-model-loss-worked"] = round(log_sigmoid_loss(1.5 - 0.5), 3)
    k["dpo-loss-worked"] = round(log_sigmoid_loss(0.1 * (2.0 - (-1.0))), 3)
    k["dpo-loss-at-init"] = round(log_sigmoid_loss(0.0), 3)
    k["instructgpt-comparisons-k9"] = math.comb(9, 2)
    layers, dm, ffn, vocab = 32, 4096, 11008, 32000
    llama7b = 2 * vocab * dm + layers * (4 * dm * dm + 3 * dm * ffn + 2 * dm) + dm
    assert llama7b == 6_738_415_616
    lora_qv = layers * 2 * 8 * (dm + dm)
    k["lora-qv-llama7b"] = lora_qv
    k["lora-qv-share-percent"] = round(100 * lora_qv / llama7b, 3)
    k["lora-all-linear-r16"] = layers * 16 * (4 * (dm + dm) + 3 * (dm + ffn))
    k["lora-rectangular-r8"] = 8 * (4096 + 11008)
    k["adapter-params-bert-base"] = 12 * 2 * ((768 * 64 + 64) + (64 * 768 + 768))
    k["prefix-tuning-params"] = 10 * 24 * 2 * 1024
    k["qlora-weights-gb"] = 7e9 * 0.5 / GB
    s1 = arc_standard(["I", "parsed", "this", "sentence", "correctly"], [2, 0, 4, 2, 2])
    assert [t for t, *_ in s1] == [
        "SHIFT",
        "SHIFT",
        "LEFT-ARC",
        "SHIFT",
        "SHIFT",
        "LEFT-ARC",
        "RIGHT-ARC",
        "SHIFT",
        "RIGHT-ARC",
        "RIGHT-ARC",
    ]
    k["arc-standard-stack-after-5"] = "[" + ", ".join(s1[4][1]) + "]"
    k["arc-standard-arc-step-7"] = s1[6][3]
    s2 = arc_standard(["She", "ate", "fish", "with", "chopsticks"], [2, 0, 2, 5, 2])
    k["arc-standard-she-ate-step-5"] = s2[4][0]
    k["arc-standard-she-ate-stack-7"] = "[" + ", ".join(s2[6][1]) + "]"
    k["parser-input-dim"] = 36 * 50
    k["labeled-transition-classes"] = 2 * 37 + 1
    return {f"pretrained-language-models/{card_id}": key for card_id, key in k.items()}


# ---------------------------------------------------------------- training-at-scale helpers
def kl_divergence(p, q) -> float:
    return sum(pi * math.log(pi / qi) for pi, qi in zip(p, q, strict=True) if pi > 0)


def js_divergence(p, q) -> float:
    """Jensen-Shannon divergence in nats between two distributions on the same points."""
    m = [(pi + qi) / 2 for pi, qi in zip(p, q, strict=True)]
    return (kl_divergence(p, m) + kl_divergence(q, m)) / 2


def wasserstein_1d(xs: list[float], ys: list[float]) -> float:
    """W1 between two equal-size, equally weighted samples on the line: match them in sorted order."""
    return sum(abs(x - y) for x, y in zip(sorted(xs), sorted(ys), strict=True)) / len(xs)


def training_keys() -> dict:
    """Every key of the training-at-scale deck, as {"deck/card-id": key}."""
    import torch

    k = {}
    n_gpus, grad_gb, bus_gb_s = 8, 1.4, 100
    k["ring-allreduce-volume"] = 2 * (n_gpus - 1) / n_gpus * 1.0
    k["ring-allreduce-time-ms"] = round(2 * (n_gpus - 1) / n_gpus * grad_gb / bus_gb_s * 1000, 1)
    k["effective-batch-size"] = 8 * 32 * 4
    k["linear-scaling-lr"] = 0.1 * 8192 / 256
    p, m = 4, 8
    k["pipeline-bubble-fraction"] = round((p - 1) / (m + p - 1), 3)
    k["pipeline-microbatches-10pct"] = next(m for m in range(1, 1000) if (p - 1) / (m + p - 1) <= 0.1)
    psi, nd, kk = 7.5e9, 64, 12
    assert (2 + 2 + kk) * psi / GB == 120
    k["zero-stage1-memory"] = round((4 * psi + kk * psi / nd) / GB, 1)
    k["zero-stage2-memory"] = round((2 * psi + (2 + kk) * psi / nd) / GB, 1)
    k["zero-stage3-memory"] = (2 + 2 + kk) * psi / nd / GB
    k["zero3-comm-ratio"] = 3 / 2
    k["fp16-max"] = torch.finfo(torch.float16).max
    k["bf16-epsilon"] = torch.finfo(torch.bfloat16).eps
    one_bf16 = torch.tensor(256.0, dtype=torch.bfloat16) + torch.tensor(1.0, dtype=torch.bfloat16)
    k["bf16-256-plus-1"] = one_bf16.item()
    assert torch.tensor(1e-8, dtype=torch.float16).item() == 0.0  # the underflow card's key
    k["fp16-underflow-choice"] = "0 (it underflows)"
    scale = 65536.0
    for _ in range(3):
        scale *= 0.5
    scale *= 2.0  # one growth after 2000 clean steps
    k["grad-scaler-after-overflows"] = scale
    k["accumulation-unscaled-factor"] = 4
    k["checkpoint-sqrt-segments"] = int(math.sqrt(64))
    k["recompute-overhead-percent"] = round((4 - 3) / 3 * 100)
    n = 7e9
    k["memory-7b-bf16-weights"] = 2 * n / GB
    k["memory-7b-adam-mixed"] = (2 + 2 + 4 + 4 + 4) * n / GB
    k["memory-7b-adam-gib"] = round((2 + 2 + 4 + 4 + 4) * n / 2**30, 1)
    k["memory-optimizer-share"] = round((4 + 4 + 4) / 16 * 100)
    k["memory-7b-pure-bf16-adam"] = (2 + 2 + 2 + 2) * n / GB
    k["memory-sgd-momentum-1b"] = (4 + 4 + 4) * 1e9 / GB
    s, b, h, a, layers = 2048, 1, 4096, 32, 32
    k["activation-memory-32-layers"] = round(s * b * h * (34 + 5 * a * s / h) * layers / GB, 1)
    k["activation-memory-full-recompute"] = round(2 * s * b * h * layers / GB, 3)
    k["lora-optimizer-state-mb"] = round(4_194_304 * 16 / 1e6, 1)
    k["llama65b-training-days"] = round(1.4e12 / (380 * 2048) / 86400, 1)
    k["llama65b-mfu-percent"] = round(6 * 65.2e9 * 380 / 312e12 * 100, 1)
    k["scaling-efficiency-percent"] = round(2880 / (8 * 400) * 100)
    k["label-smoothing-target"] = round(1 - 0.1 + 0.1 / 10, 2)
    k["label-smoothing-logit-gap"] = round(math.log(0.91 / 0.01), 2)
    target = [0.91] + [0.01] * 9
    k["label-smoothing-min-loss"] = round(-sum(t * math.log(t) for t in target), 2)
    k["distillation-soft-target"] = round(softmax([4, 2, 0], 4)[2], 3)
    assert round(softmax([4, 2, 0], 1)[2], 3) == 0.016  # the same class at T = 1, quoted in the back
    k["gan-optimal-discriminator"] = 0.3 / (0.3 + 0.1)
    k["gan-optimal-value"] = round(-math.log(4), 3)
    disjoint = [0.5, 0.5, 0, 0], [0, 0, 0.5, 0.5]  # on the points {0, 1, 2, 3}
    k["gan-disjoint-jsd"] = round(js_divergence(*disjoint), 3)
    assert math.isclose(js_divergence(*disjoint), math.log(2))
    closer = [0.5, 0.5, 0, 0, 0, 0], [0, 0, 0.5, 0, 0.5, 0]  # on {0, 1, 1.5, 2, 2.5, 3}: still disjoint
    assert math.isclose(js_divergence(*closer), math.log(2))  # the back: JSD stays ln 2
    k["wasserstein-point-masses"] = wasserstein_1d([0.0], [3.0])
    assert wasserstein_1d([0.0], [0.5]) == 0.5  # W1 shrinks with the gap, JSD would not
    k["discounted-return-worked"] = round(1 + 0.9 * 0 + 0.9**2 * 2, 2)
    k["q-learning-update-worked"] = 2 + 0.5 * (1 + 0.9 * 3 - 2)
    k["sarsa-update-worked"] = round(2 + 0.5 * (1 + 0.9 * 1 - 2), 2)
    k["epsilon-greedy-probability"] = 1 - 0.1 + 0.1 / 4
    k["effective-horizon"] = round(1 / (1 - 0.99))
    return {f"training-at-scale/{card_id}": key for card_id, key in k.items()}


GROUPS = [cv_keys, plm_keys, training_keys]

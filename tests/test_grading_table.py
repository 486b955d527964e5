"""Typed-answer verdicts, one case a line: (key, accepted alternatives, tolerance, typed, verdict).

The first block is every case an independent tester reported (wrong answers graded right,
right answers graded wrong); the rest pin down each rule of `studyctl.srs.grading`.
"""

import pytest

from studyctl.srs.grading import grade_typed

RIGHT, WRONG = "right", "wrong"

# keys and accepted answers of built-in cards the tester named
SHAPE_4_192 = ("4, 192", "[4, 192]", "torch.Size([4, 192])")  # pytorch-basics/flatten-for-linear
KV_CACHE = ("512 KiB", "512 KB", "0.5 MiB")  # transformers/kv-cache-size, key 512
LN_10 = ("ln 10", "ln(10)", "log 10")  # dl-fundamentals/initial-ce-loss-10-classes, key 2.303

CASES = [
    # --- reported: wrong answers graded right
    ("2.30", (), 0.01, "-2.30", WRONG),
    ("2.30", (), 0.01, "2/30", WRONG),
    ("1", ("1.0",), 0.001, "-1", WRONG),  # classic-ml/xgboost-leaf-weight-typed
    ("0.511", (), 0.003, "-0.511", WRONG),  # math-for-dl/kl-compute
    ("2.30", (), 0.01, "2.3100001", WRONG),
    ("2.30", (), 0.01, "2.2899999", WRONG),
    # --- reported: right answers graded wrong
    ("2.30", (), 0.01, "2.31", RIGHT),
    ("2.30", (), 0.01, "2.29", RIGHT),
    ("(4, 192)", SHAPE_4_192, None, "4x192", RIGHT),
    ("(4, 192)", SHAPE_4_192, None, "4 x 192", RIGHT),
    ("512", KV_CACHE, None, "512KiB", RIGHT),
    ("512", KV_CACHE, None, "0.5MiB", RIGHT),
    ("6000000", ("6,000,000", "6e6", "6 million"), None, "6M", RIGHT),
    ("0.94", ("94%",), 0.001, "94.0%", RIGHT),
    ("2.303", LN_10, 0.01, "ln10", RIGHT),
    ("8", ("8.0", "tensor(8.)"), None, "tensor(8.0)", RIGHT),
    # --- signs are kept
    ("-1", (), None, "-1", RIGHT),
    ("-1", (), None, "1", WRONG),
    ("1", (), None, "-1", WRONG),
    ("-0.5", (), 0.01, "−0.5", RIGHT),  # U+2212 minus sign
    ("-0.5", (), 0.01, "–0.5", RIGHT),  # en dash typed as minus
    ("0.5", (), 0.01, "+0.5", RIGHT),
    ("0", ("0.0",), 0, "-0", RIGHT),  # minus zero is zero
    # --- the tolerance edge
    ("17", (), 0, "17", RIGHT),
    ("17", (), 0, "17.0", RIGHT),
    ("17", (), 0, "17.0000001", WRONG),
    ("0.3", (), 0, "0.1+0.2", RIGHT),  # float noise is not a difference
    ("0.3333", (), 0.05, "0.31", RIGHT),
    ("0.3333", (), 0.05, "0.25", WRONG),
    ("0.001", ("1e-3",), 1e-5, "0.00101", RIGHT),
    ("0.001", ("1e-3",), 1e-5, "0.0010100001", WRONG),
    ("2.4", (), 0.001, "2.401", RIGHT),
    ("2.4", (), 0.001, "2.402", WRONG),
    ("28", (), None, "27", WRONG),
    ("28", (), None, "28.0", RIGHT),
    ("28", (), None, "２８", RIGHT),  # full-width digits
    # --- percent: a number /100, whichever way the key is written
    ("0.94", (), None, "94%", RIGHT),
    ("94%", (), None, "0.94", RIGHT),
    ("94%", (), None, "94", WRONG),
    ("0.94", (), None, "94", WRONG),
    ("0.94", (), None, "0.94%", WRONG),
    ("94%", (), 1, "93.5%", RIGHT),  # a "94%" key's tolerance is in percentage points
    ("94%", (), 1, "0.935", RIGHT),
    ("94%", (), 1, "92.9%", WRONG),
    ("0.94", (), 0.001, "94.2%", WRONG),
    ("0.368", ("1/e", "36.8%"), 0.002, "36.8", WRONG),
    ("0.368", ("1/e", "36.8%"), 0.002, "36.9%", RIGHT),
    # --- scientific notation
    ("0.001", (), None, "1e-3", RIGHT),
    ("0.001", (), None, "1E-3", RIGHT),
    ("0.001", (), None, "1e3", WRONG),
    ("0.0015", (), 1e-6, "1.5×10^-3", RIGHT),
    ("0.0015", (), 1e-6, "1.5*10**-3", RIGHT),
    ("0.0015", (), 1e-6, "1.5·10⁻³", RIGHT),
    ("0.0015", (), 1e-6, "1.5e-3", RIGHT),
    ("0.0015", (), 1e-6, "15e-4", RIGHT),
    ("0.0015", (), 1e-6, "1.5×10^3", WRONG),
    ("0.0015", (), 1e-6, "-1.5e-3", WRONG),
    ("1000000", (), None, "10^6", RIGHT),
    ("1000000", (), None, "10⁶", RIGHT),
    # --- thousands separators
    ("1000000", (), None, "1,000,000", RIGHT),
    ("1000000", (), None, "1 000 000", RIGHT),
    ("1000000", (), None, "1_000_000", RIGHT),
    ("1000000", (), None, "1\u202f000\u202f000", RIGHT),  # narrow no-break spaces, as some locales print
    ("1000000", (), None, "1,000", WRONG),
    ("1000000", (), None, "1,0000,00", WRONG),
    ("200960", ("200,960",), None, "200 960", RIGHT),
    ("200960", ("200,960",), None, "200,961", WRONG),
    ("200960", ("200,960",), None, "2009600", WRONG),
    ("4096", ("4,096",), None, "4,096", RIGHT),
    ("4096", ("4,096",), None, "4,96", WRONG),
    ("1.5", (), None, "1,5", WRONG),  # a decimal comma is not read as a number
    # --- multipliers and units
    ("7000000000", (), None, "7B", RIGHT),
    ("7000000000", (), None, "7 billion", RIGHT),
    ("7000000000", (), None, "7M", WRONG),
    ("1500", (), None, "1.5k", RIGHT),
    ("1500", (), None, "1.5K", RIGHT),
    ("6000000", (), None, "6m", WRONG),  # lower-case m is milli, not million: not read
    ("6000000", (), None, "600万", RIGHT),
    ("100000000", (), None, "1亿", RIGHT),
    ("4", ("4 tb", "4tb"), 0.01, "4 TB", RIGHT),  # optimization/hessian-memory
    ("4", ("4 tb", "4tb"), 0.01, "4000 GB", RIGHT),
    ("4", ("4 tb", "4tb"), 0.01, "4 TiB", WRONG),  # 4.4e12 bytes
    ("4", ("4 tb", "4tb"), 0.01, "-4", WRONG),
    ("512", KV_CACHE, None, "512", RIGHT),
    ("512", KV_CACHE, None, "524288 bytes", RIGHT),
    ("512", KV_CACHE, None, "524288", WRONG),  # bytes only match bytes
    ("512", KV_CACHE, None, "512 MiB", WRONG),
    ("512", KV_CACHE, None, "0.5 GiB", WRONG),
    ("1 KB", (), None, "1000 bytes", RIGHT),  # KB is SI: 1000
    ("1 KiB", (), None, "1024 bytes", RIGHT),
    ("1 KB", (), None, "1 KiB", WRONG),
    ("1024", (), None, "1 KiB", WRONG),  # a bare key is not bytes
    # --- constant expressions
    ("2.303", LN_10, 0.01, "ln(10)", RIGHT),
    ("2.303", LN_10, 0.01, "log 10", RIGHT),  # log is the natural log, as in Python
    ("2.303", LN_10, 0.01, "LN 10", RIGHT),
    ("2.303", LN_10, 0.01, "log10", WRONG),  # log(10) or log10(...)? not read
    ("2.303", LN_10, 0.01, "log10(10)", WRONG),
    ("2.303", LN_10, 0.01, "-ln 10", WRONG),
    ("0.693", (), 0.001, "ln 2", RIGHT),
    ("3", (), None, "log2(8)", RIGHT),
    ("2", (), None, "lg 100", RIGHT),
    ("2", (), None, "log10(100)", RIGHT),
    ("0.667", ("2/3",), 0.001, "2/3", RIGHT),
    ("0.667", ("2/3",), 0.001, "3/2", WRONG),
    ("1.414", (), 0.001, "sqrt(2)", RIGHT),
    ("1.414", (), 0.001, "√2", RIGHT),
    ("1.414", (), 0.001, "sqrt 2", RIGHT),
    ("1.414", (), 0.001, "-√2", WRONG),
    ("7.389", (), 0.001, "e^2", RIGHT),
    ("7.389", (), 0.001, "e**2", RIGHT),
    ("7.389", (), 0.001, "exp(2)", RIGHT),
    ("7.389", (), 0.001, "e²", RIGHT),
    ("7.389", (), 0.001, "2e", WRONG),  # no implicit multiplication
    ("0.785", (), 0.001, "pi/4", RIGHT),
    ("0.785", (), 0.001, "π/4", RIGHT),
    ("0.881", (), 0.001, "1/(1+e^-2)", RIGHT),
    ("0.881", (), 0.001, "1/(1+e^2)", WRONG),
    ("-4", (), None, "-2^2", RIGHT),  # ^ binds tighter than the minus sign
    ("4", (), None, "(-2)^2", RIGHT),
    ("4", (), None, "-2^2", WRONG),
    ("512", (), None, "2^3^2", RIGHT),  # ^ is right-associative
    ("0.00515", ("5.15e-3", "0.9^50"), 5e-5, "0.9^50", RIGHT),  # rnn-seq2seq/rnn-gradient-decay-typed
    ("2.01", ("e^0.7", "exp(0.7)"), 0.01, "exp 0.7", RIGHT),
    ("0.368", ("1/e", "36.8%"), 0.002, "e^-1", RIGHT),
    ("0.368", ("1/e", "36.8%"), 0.002, "-1/e", WRONG),
    ("6", (), None, "2*3", RIGHT),
    ("6", (), None, "2 3", WRONG),
    ("768", (), None, "4*192", RIGHT),  # a product is a number when the key is a number
    # --- nothing is executed, nothing runs away
    ("1", (), None, "9**9**9", WRONG),
    ("1", (), None, "__import__('os')", WRONG),
    ("1", (), None, "1/0", WRONG),
    ("0", (), None, "log(0)", WRONG),
    ("1", (), None, "(" * 50 + "1" + ")" * 50, WRONG),  # nested too deep: read as text
    ("1", (), None, "((1))", RIGHT),
    # --- how PyTorch and NumPy print a scalar
    ("8", (), None, "tensor([8.])", RIGHT),
    ("8", (), None, "np.float64(8.0)", RIGHT),
    ("8", (), None, "tensor(8., grad_fn=<AddBackward0>)", RIGHT),
    ("8", (), None, "torch.tensor(8.)", RIGHT),
    ("8", (), None, "tensor(-8.)", WRONG),
    ("8", (), None, "tensor([8., 8.])", WRONG),
    ("8", (), None, "np.float64(80.0)", WRONG),
    # --- what a learner adds around a number
    ("2.30", (), 0.01, "2.30.", RIGHT),
    ("2.30", (), 0.01, "2.30。", RIGHT),
    ("2.30", (), 0.01, "≈2.30", RIGHT),
    ("2.30", (), 0.01, " 2.3 ", RIGHT),
    # --- a number key answered with text, a text key with a number: compared as text
    ("0", ("0.0", "zero"), None, "zero", RIGHT),  # nlp-word-vectors/one-hot-cosine
    ("0", ("0.0", "zero"), None, "Zero.", RIGHT),
    ("0", ("0.0", "zero"), None, "none", WRONG),
    ("float64", ("np.float64", "numpy.float64", "float 64"), None, "64", WRONG),
    ("float64", ("np.float64", "numpy.float64", "float 64"), None, "np.float64", RIGHT),
    ("float64", ("np.float64", "numpy.float64", "float 64"), None, "Float64", RIGHT),
    ("float64", ("np.float64", "numpy.float64", "float 64"), None, "float32", WRONG),
    ("float64", ("np.float64", "numpy.float64", "float 64"), None, "float-64", WRONG),
    # --- shapes, whatever the separator
    ("(4, 192)", (), None, "4×192", RIGHT),
    ("(4, 192)", (), None, "4 × 192", RIGHT),
    ("(4, 192)", (), None, "4*192", RIGHT),
    ("(4, 192)", (), None, "4X192", RIGHT),
    ("(4, 192)", (), None, "(4, 192)", RIGHT),
    ("(4, 192)", (), None, "(4,192)", RIGHT),
    ("(4, 192)", (), None, "[4, 192]", RIGHT),
    ("(4, 192)", (), None, "torch.Size([4, 192])", RIGHT),
    ("(4, 192)", (), None, "Size([4, 192])", RIGHT),
    ("(4, 192)", (), None, "4,192", RIGHT),
    ("(4, 192)", (), None, "4 192", RIGHT),
    ("(4, 192)", (), None, "（4，192）", RIGHT),  # full-width brackets and comma
    ("(4, 192)", (), None, "(192, 4)", WRONG),  # transposed
    ("(4, 192)", (), None, "192x4", WRONG),
    ("(4, 192)", (), None, "768", WRONG),
    ("(4, 192)", (), None, "4192", WRONG),
    ("(4, 192)", (), None, "(4, 192, 1)", WRONG),
    ("(4, 192)", (), None, "(4,)", WRONG),
    ("(4, 192)", (), None, "(4, -192)", WRONG),
    ("(4, 192)", (), None, "(4.0, 192)", WRONG),
    ("(8, 2)", ("8x2", "8 x 2", "8×2"), None, "2×8", WRONG),  # math-for-dl/matmul-chain-shape
    ("8×2", (), None, "2x8", WRONG),  # a times sign between dimensions makes a key a shape
    ("4*192", (), None, "4 x 192", RIGHT),
    ("4*192", (), None, "768", WRONG),
    ("16", (), None, "8×2", RIGHT),  # ... and a product when the key is a number
    ("4192", (), None, "4,192", RIGHT),  # the same text is a number when the key is one
    ("4192", (), None, "4x192", WRONG),
    ("(3,)", ("3", "(3)", "[3]"), None, "3", RIGHT),  # python-data-stack/multi-axis-sum-shape
    ("(3,)", ("3", "(3)", "[3]"), None, "(3,)", RIGHT),
    ("(3,)", ("3", "(3)", "[3]"), None, "torch.Size([3])", RIGHT),
    ("(3,)", ("3", "(3)", "[3]"), None, "(3, 1)", WRONG),
    ("(3,)", ("3", "(3)", "[3]"), None, "(1, 3)", WRONG),
    ("9", ("9x9", "9 x 9"), None, "9×9", RIGHT),  # cnn-cv/receptive-field-arith
    ("9", ("9x9", "9 x 9"), None, "9", RIGHT),
    ("9", ("9x9", "9 x 9"), None, "81", WRONG),
    ("9", ("9x9", "9 x 9"), None, "9x8", WRONG),
    ("(16, 3, 5, 5)", (), None, "16x3x5x5", RIGHT),
    ("(16, 3, 5, 5)", (), None, "(3, 16, 5, 5)", WRONG),
    ("(32, 224, 224, 3)", (), None, "32 × 224 × 224 × 3", RIGHT),
    ("(32, 224, 224, 3)", (), None, "(32, 3, 224, 224)", WRONG),
    ("(10000, 3)", (), None, "10000x3", RIGHT),
    ("(10000, 3)", (), None, "(3, 10000)", WRONG),
    # --- text keeps the symbols that carry meaning
    ("a-b", (), None, "ab", WRONG),
    ("a-b", (), None, "a - b", RIGHT),
    ("x^2", (), None, "x2", WRONG),
    ("x^2", (), None, "x²", RIGHT),
    ("C++", (), None, "C", WRONG),
    ("C++", (), None, "c++", RIGHT),
    ("O(n^2)", (), None, "O(n2)", WRONG),
    ("O(n^2)", (), None, "O(n²)", RIGHT),
    ("O(n^2)", (), None, "o(n ^ 2)", RIGHT),
    ("O(n^2)", (), None, "O(n)", WRONG),
    ("max(0, x)", (), None, "max(0,x)", RIGHT),
    ("max(0, x)", (), None, "max(0, -x)", WRONG),
    ("max(0, x)", (), None, "min(0, x)", WRONG),
    ("zero_grad", (), None, "zerograd", WRONG),
    ("L2", (), None, "l2", RIGHT),
    ("L2", (), None, "L1", WRONG),
    # --- case, spacing, full stop, full-width forms and quotes don't matter
    ("relu", (), None, "ReLU", RIGHT),
    ("relu", (), None, "  relu ", RIGHT),
    ("relu", (), None, "relu.", RIGHT),
    ("relu", (), None, "ＲｅＬＵ！", RIGHT),
    ("relu", (), None, "`relu`", RIGHT),
    ("relu", (), None, "“relu”", RIGHT),
    ("relu", (), None, "re lu", WRONG),
    ("relu", (), None, "relu6", WRONG),
    ("relu", (), None, "leaky relu", WRONG),
    ("relu", ("rectified linear unit", "rectifier"), None, "Rectifier", RIGHT),
    ("relu", ("rectified linear unit", "rectifier"), None, "sigmoid", WRONG),
    # --- Chinese punctuation variants; CJK text
    ("S S B E", ("SSBE", "S,S,B,E", "S-S-B-E", "S/S/B/E"), None, "S，S，B，E", RIGHT),  # nlp-tasks/bmes-tagging
    ("S S B E", ("SSBE", "S,S,B,E", "S-S-B-E", "S/S/B/E"), None, "S、S、B、E", RIGHT),
    ("S S B E", ("SSBE", "S,S,B,E", "S-S-B-E", "S/S/B/E"), None, "s s b e", RIGHT),
    ("S S B E", ("SSBE", "S,S,B,E", "S-S-B-E", "S/S/B/E"), None, "SSEB", WRONG),
    ("at", ("a t", "a+t", "(a, t)", "a,t"), None, "（a，t）", RIGHT),  # nlp-tasks/bpe-first-merge
    ("at", ("a t", "a+t", "(a, t)", "a,t"), None, "a + t", RIGHT),
    ("at", ("a t", "a+t", "(a, t)", "a,t"), None, "ta", WRONG),
    ("at", ("a t", "a+t", "(a, t)", "a,t"), None, "a-t", WRONG),
    ("交叉熵", (), None, "交叉熵损失", WRONG),
    ("交叉熵损失", (), None, "交叉熵", WRONG),
    ("交叉熵", (), None, "交叉 熵", RIGHT),
    ("交叉熵", (), None, "交叉熵。", RIGHT),
    ("注意力机制", (), None, " 注意力 机制 ", RIGHT),
    ("梯度消失", (), None, "梯度爆炸", WRONG),
    ("交叉熵 loss", (), None, "交叉熵loss", RIGHT),
    ("《深度学习》", (), None, "“深度学习”", RIGHT),
    ("softmax", (), None, "soft max", WRONG),
]


def describe(case) -> str:
    key, accept, tolerance, typed, verdict = case
    extra = f" or {'/'.join(accept)}" if accept else ""
    within = f" ± {tolerance}" if tolerance is not None else ""
    return f"{typed!r} for {key}{extra}{within} is {verdict}"


def test_the_table_is_large_enough():
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=describe)
def test_verdict(case):
    key, accept, tolerance, typed, verdict = case
    grade = grade_typed(typed, key, list(accept), tolerance)
    assert grade.correct is (verdict == RIGHT), describe(case)

"""A safe evaluator for the small constant expressions a learner types as an answer.

"ln 10", "log2(8)", "2/3", "sqrt(2)", "√2", "e^2", "pi/4", "1/(1+e^-2)", "1.5×10^-3", "6M",
"512 KiB", "94%": a tokenizer and a Pratt parser over floats, never `eval`. Only the names
below exist; anything else is an error (the caller then compares the answer as text). Limits
keep it cheap on any input: MAX_CHARS, MAX_TOKENS, MAX_DEPTH, and float arithmetic, so
"9**9**9" overflows at once instead of building a huge integer.

Precedence, loosest first: + -, * / (and × ÷ ·), unary minus, ^ (or **, right-associative,
so -2^2 = -4 and e^-2 works), a unit or multiplier suffix (k M G B T, KB/KiB..., %, 万, 亿).
A function takes a bracketed argument, or without brackets the power-level term after it:
"ln 2^3" is ln 8, "ln 10/2" is (ln 10)/2. log is the natural log (as in Python and NumPy),
lg is log10. There is no implicit multiplication: "2 3" and "2e" are errors, not 6 and 2e.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_CHARS = 200
MAX_TOKENS = 80
MAX_DEPTH = 24

CONSTANTS = {"e": math.e, "pi": math.pi, "π": math.pi}
FUNCTIONS = {
    "ln": math.log,
    "log": math.log,
    "lg": math.log10,
    "log10": math.log10,
    "log2": math.log2,
    "exp": math.exp,
    "sqrt": math.sqrt,
    "√": math.sqrt,
}
# A function name that another name starts with can't be glued to a digit: "log10" could be
# log(10) or log10(...), "exp2" exp(2) or 2^x. "ln10" and "sqrt2" are unambiguous.
_NO_DIGIT_AFTER = {"log", "log2", "log10", "exp"}
# Multipliers and units, applied as a postfix to a number. B is billions ("7B parameters");
# byte units say bytes: KB, MB... are SI (1000^n, as disk makers and the Hessian card's "4 TB"
# use them), KiB, MiB... are binary (1024^n).
MULTIPLIERS = {"%": 0.01, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "B": 1e9, "T": 1e12, "万": 1e4, "亿": 1e8}
WORD_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
BYTE_UNITS = {
    "bytes": 1,
    "byte": 1,
    "kb": 1e3,
    "mb": 1e6,
    "gb": 1e9,
    "tb": 1e12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}

_DIGITS_TAIL = r"(?![\d_])(?:\.\d+)?(?![\d.])"
_NUMBER = re.compile(
    "|".join(
        [
            r"\d{1,3}(?:,\d{3})+" + _DIGITS_TAIL,  # 1,000,000
            r"\d{1,3}(?: \d{3})+" + _DIGITS_TAIL,  # 1 000 000 (NFKC made thin and no-break spaces plain)
            r"\d+(?:_\d+)+" + _DIGITS_TAIL,  # 1_000_000
            r"(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?",  # 12, 1.5, .5, 8., 1e-3
        ]
    )
)
_CASELESS_WORDS = sorted([*FUNCTIONS, "pi", *WORD_MULTIPLIERS, *BYTE_UNITS], key=len, reverse=True)
_WORD = re.compile(
    "(?i:" + "|".join(re.escape(w) for w in _CASELESS_WORDS) + ")(?![a-zA-Z])"
    "|[eπ√%万亿](?![a-zA-Z])|[kKMGBT](?![a-zA-Z])"
)
_OPERATORS = {"**": "^", "^": "^", "+": "+", "-": "-", "*": "*", "×": "*", "·": "*", "⋅": "*", "/": "/", "÷": "/"}
_OPERATOR = re.compile(r"\*\*|[-+*/^×·⋅÷()]")


class ExpressionError(ValueError):
    """The text is not an expression this evaluator reads."""


@dataclass(frozen=True)
class Token:
    kind: str  # number, constant, function, unit, op, (, )
    text: str
    value: float = 0.0


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_CHARS:
        raise ExpressionError("too long")
    tokens: list[Token] = []
    at = 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        if len(tokens) >= MAX_TOKENS:
            raise ExpressionError("too many tokens")
        tokens.append(_token_at(text, at))
        at += len(tokens[-1].text)
    return tokens


def _token_at(text: str, at: int) -> Token:
    if number := _NUMBER.match(text, at):
        digits = re.sub(r"[,_\s]", "", number.group())
        return Token("number", number.group(), float(digits))
    if word := _WORD.match(text, at):
        return _word_token(word.group(), text[word.end() : word.end() + 1])
    if operator := _OPERATOR.match(text, at):
        symbol = operator.group()
        return Token(symbol if symbol in "()" else "op", symbol, 0.0)
    raise ExpressionError(f"unexpected {text[at]!r}")


def _word_token(word: str, after: str) -> Token:
    folded = word.casefold()
    if folded == "pi":
        return Token("constant", word, math.pi)
    if folded in FUNCTIONS or word in FUNCTIONS:
        if folded in _NO_DIGIT_AFTER and after.isdigit():
            raise ExpressionError(f"{word}{after}... is ambiguous")
        return Token("function", folded if folded in FUNCTIONS else word)
    if word in CONSTANTS:
        return Token("constant", word, CONSTANTS[word])
    if word in MULTIPLIERS:
        return Token("unit", word, MULTIPLIERS[word])
    if folded in WORD_MULTIPLIERS:
        return Token("unit", word, WORD_MULTIPLIERS[folded])
    return Token("unit", word, float(BYTE_UNITS[folded]))


_INFIX_POWER = {"+": 10, "-": 10, "*": 20, "/": 20, "^": 40}
_PREFIX_POWER = 30  # unary minus: looser than ^, tighter than * and /
_FUNCTION_ARGUMENT_POWER = 35  # "ln 2^3" is ln 8; "ln 10 / 2" is (ln 10) / 2
_UNIT_POWER = 50


def is_byte_unit(token: Token) -> bool:
    return token.kind == "unit" and token.text.casefold() in BYTE_UNITS


class _Parser:
    """A Pratt parser: each token knows how it starts an expression (prefix) and how it
    continues one (infix, with a binding power)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens, self.at, self.depth = tokens, 0, 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise ExpressionError("unexpected end")
        self.at += 1
        return token

    def expect(self, kind: str) -> None:
        if self.take().kind != kind:
            raise ExpressionError(f"expected {kind}")

    def expression(self, right_power: int = 0) -> float:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("nested too deep")
        left = self.prefix(self.take())
        while (token := self.peek()) is not None and self.binding_power(token) > right_power:
            left = self.infix(self.take(), left)
        self.depth -= 1
        return left

    def binding_power(self, token: Token) -> int:
        if token.kind == ")":
            return 0  # ends the bracketed expression
        if token.kind == "unit":
            return _UNIT_POWER
        if token.kind == "op":
            return _INFIX_POWER[_OPERATORS[token.text]]
        raise ExpressionError(f"{token.text!r} can't follow a value")  # no implicit multiplication

    def prefix(self, token: Token) -> float:
        if token.kind in ("number", "constant"):
            return token.value
        if token.kind == "(":
            inner = self.expression()
            self.expect(")")
            return inner
        if token.kind == "op" and token.text in "+-":
            operand = self.expression(_PREFIX_POWER)
            return -operand if token.text == "-" else operand
        if token.kind == "function":
            if (next_token := self.peek()) is not None and next_token.kind == "(":
                argument = self.prefix(self.take())
            else:
                argument = self.expression(_FUNCTION_ARGUMENT_POWER)
            return FUNCTIONS[token.text](argument)
        raise ExpressionError(f"unexpected {token.text!r}")

    def infix(self, token: Token, left: float) -> float:
        if token.kind == "unit":
            if self.tokens[self.at - 2].kind not in ("number", ")"):
                raise ExpressionError(f"{token.text} must follow a number")
            return left * token.value
        operator = _OPERATORS[token.text]
        if operator == "^":
            return math.pow(left, self.expression(_INFIX_POWER["^"] - 1))
        right = self.expression(_INFIX_POWER[operator])
        if operator == "+":
            return left + right
        if operator == "-":
            return left - right
        if operator == "*":
            return left * right
        return left / right


def evaluate_tokens(tokens: list[Token]) -> float:
    """The value of a tokenized expression; ExpressionError when it is not one or has no finite
    value (division by zero, overflow, a log of a negative number...)."""
    parser = _Parser(tokens)
    try:
        value = parser.expression()
    except (ArithmeticError, ValueError) as error:  # ZeroDivision, Overflow, math domain errors
        raise ExpressionError(str(error)) from error
    leftover = parser.peek()
    if leftover is not None:
        raise ExpressionError(f"unexpected {leftover.text!r}")
    if not math.isfinite(value):
        raise ExpressionError("not a finite number")
    return value


def evaluate(text: str) -> float:
    return evaluate_tokens(tokenize(text))

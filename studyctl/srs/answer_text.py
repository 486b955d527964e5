"""Text answers, put in one canonical spelling before they are compared.

What a learner's keyboard varies is ignored: case, full-width vs half-width forms (NFKC),
Chinese vs English punctuation, spacing around symbols and inside Chinese text, a trailing
full stop, quotes or backticks around the whole answer. What carries meaning is kept: every
sign and symbol ("-1" is not "1", "x^2" is not "x2", "C++" is not "C"), so no two different
answers can collapse into one. Superscript digits become "^digits" first, so "n²" reads as
"n^2" (NFKC alone would make it "n2").
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
# Chinese punctuation NFKC leaves alone, and the dashes people type for a minus sign.
_PUNCTUATION_VARIANTS = str.maketrans(
    {
        "、": ",",
        "。": ".",
        "｡": ".",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "《": '"',
        "》": '"',
        "【": "[",
        "】": "]",
        "〔": "(",
        "〕": ")",
        "−": "-",  # U+2212 minus sign
        "–": "-",  # en dash
        "‐": "-",  # hyphen
        "‑": "-",  # non-breaking hyphen
        "…": "...",
    }
)
_SPACES = re.compile(r"\s+")
_SPACE_BY_SYMBOL = re.compile(r" ?([^\w\s]) ?")
_TRAILING_STOP = re.compile(r"[.!]+$")
_WRAPPING_QUOTES = re.compile(r"""^(["'`])(.+)\1$""")


def canonical(text: str) -> str:
    """One spelling of the same characters: superscripts as ^n, NFKC, Chinese punctuation and
    dashes as their ASCII counterparts, whitespace collapsed. Case and symbols are kept."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), str(text))
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_VARIANTS)
    return _SPACES.sub(" ", text).strip()


def normalize(text: str) -> str:
    """Compare text answers as a person would: spelling variants that carry no meaning go,
    every symbol that does stays."""
    text = canonical(text).casefold()
    text = _SPACE_BY_SYMBOL.sub(r"\1", text)
    text = _without_spaces_by_wide(text)
    text = _TRAILING_STOP.sub("", text)
    quoted = _WRAPPING_QUOTES.match(text)
    return quoted.group(2).strip() if quoted else text


def _without_spaces_by_wide(text: str) -> str:
    """Drop a space beside a wide (CJK) character: Chinese is written without them, and a
    learner's input method adds them at random."""
    words = text.split(" ")
    pieces = [words[0]]
    for before, word in pairwise(words):
        pieces += ["" if _is_wide(before[-1:]) or _is_wide(word[:1]) else " ", word]
    return "".join(pieces)


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")

"""The bpe-tokenizer lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages name
the likely cause (a tie broken the wrong way, a greedy longest match, bytes decoded apart), and its
hidden texts catch code fitted to the visible ASCII examples."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import ERROR, FAIL, PASS


@pytest.fixture(scope="module")
def lab():
    return repo_lab("bpe-tokenizer")


def test_a_tie_broken_by_first_seen_is_named(lab, tmp_path):
    result = judge(lab, tmp_path, "tie-first-seen")
    message = result.step("train").message
    assert "Sennrich's toy corpus" in message and "merge 4 (new id 260) differs" in message
    assert "a tie" in message and "smaller pair" in message


def test_greedy_longest_match_is_named(lab, tmp_path):
    message = judge(lab, tmp_path, "greedy-longest").step("encode").message
    assert "encode('abc'" in message and "greedy longest match" in message and "order they were learned" in message


def test_hidden_texts_catch_ascii_only_code(lab, tmp_path):
    """Code that only works for the visible ASCII texts: encode drops non-ASCII characters, decode
    decodes each token on its own. Both visible encode cases pass; the hidden Chinese texts fail."""
    result = judge(
        lab,
        tmp_path,
        replace=[
            (
                '        word = list(piece.encode("utf-8"))\n',
                '        word = list(piece.encode("ascii", errors="ignore"))\n',
            ),
            (
                '    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")\n',
                '    return "".join(vocab[i].decode("utf-8", errors="replace") for i in ids)\n',
            ),
        ],
    )
    statuses = {s.name: s.status for s in result.steps}
    assert all(statuses[name] == PASS for name in ("pairs", "merge", "train", "vocab"))
    assert statuses["encode"] in (FAIL, ERROR) and "hidden case" in result.step("encode").message
    decode = result.step("decode").message
    assert statuses["decode"] == FAIL and "U+FFFD" in decode and "join the bytes of all ids" in decode

"""Wrapping text with Chinese in it (i18n.wrap_spans): nothing lost, nothing reordered, lines
within their width, a paragraph's indentation kept on its first line."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from studyctl import i18n

PIECES = st.sampled_from(["张量", "自动微分", "，", "。", "）", "（", "the", "gradient", " ", "  ", "42", "·", "■"])
TEXT = st.lists(PIECES, max_size=40).map("".join)


@given(text=TEXT, columns=st.integers(4, 60))
def test_no_character_is_lost_or_moved(text, columns):
    spans = i18n.wrap_spans(text, columns)
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")
    assert all(a < b for a, b in spans) and all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))


@given(text=TEXT, columns=st.integers(4, 60))
def test_lines_keep_within_their_width_unless_one_piece_cannot(text, columns):
    for a, b in i18n.wrap_spans(text, columns):
        line = text[a:b]
        core = line.rstrip("，。） ")  # closing punctuation (after a space too) may hang over the width
        unbreakable = " " not in core.strip() and not i18n.has_wide(core)  # a word longer than a line
        assert i18n.width(core) <= columns or unbreakable, (line, columns)


def test_a_paragraphs_indentation_stays_on_its_first_line():
    assert i18n.wrap_spans("     ■ ■ ■", 40) == [(0, 10)]
    row = "     ■ ■ ■ ■"
    first, *rest = i18n.wrap_spans(row, 8)
    assert row[first[0] : first[1]].startswith("     ■") and rest


def test_chinese_sentences_run_on_without_a_space():
    from studyctl.presentation.words import sentences

    assert sentences(["On track.", "Log 7 days more."]) == "On track. Log 7 days more."
    i18n.activate("zh")
    assert sentences(["进度正常。", "再记录 7 天。", "ok"]) == "进度正常。再记录 7 天。ok"
    assert sentences(["还剩 6 小时", "ok"]) == "还剩 6 小时 ok"  # no full stop: keep them apart

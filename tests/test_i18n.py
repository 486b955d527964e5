"""The Chinese interface: every user-facing string marked and translated, the language chosen
as documented, dates and widths in Chinese form, and content shown in the user's language."""

from __future__ import annotations

import datetime as dt
import gettext
import importlib.util
import os
import re
import string
import subprocess
import sys
from pathlib import Path

from i18n_support import unmarked_in, user_facing

from studyctl import i18n

REPO = Path(__file__).resolve().parent.parent
ZH_PO = REPO / "studyctl" / "locale" / "zh" / "LC_MESSAGES" / "studyctl.po"
ZH_MO = ZH_PO.with_suffix(".mo")
FACES = [REPO / "studyctl" / name for name in ("cli", "tui", "presentation")]


def _catalog_tool():
    spec = importlib.util.spec_from_file_location("catalog_tool", REPO / ".ci" / "catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_po(path: Path):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale="zh")


def _strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


# --- every string marked, every message translated -------------------------------------------


def test_every_user_facing_string_of_the_cli_and_tui_is_marked_for_translation():
    unmarked = unmarked_in(FACES)
    assert not unmarked, "mark these with _() (or ngettext):\n" + "\n".join(map(str, unmarked[:40]))


def test_the_checker_finds_an_unmarked_message_and_accepts_a_marked_one(tmp_path):
    module = tmp_path / "face.py"
    module.write_text(
        "import click\nfrom studyctl.i18n import _\n\n"
        'def f(n):\n    """A docstring is fine."""\n'
        '    click.echo("Nothing to review.")\n'
        '    click.echo(_("All done."))\n'
        '    click.echo(f"{n} cards left")\n'
        '    click.echo("x", err=True)\n'
        '    return {"Key With Words": 1}\n',
        encoding="utf-8",
    )
    found = [(f.line, f.text) for f in unmarked_in([tmp_path])]
    assert found == [(6, "Nothing to review."), (8, " cards left")]
    assert user_facing("Done") and not user_facing("bold") and not user_facing("--plain")


def test_the_chinese_catalog_translates_every_message(tmp_path):
    """Babel's extraction over the sources (plus click's messages) finds nothing untranslated."""
    template = _catalog_tool().extract(tmp_path / "studyctl.pot")
    catalog = _read_po(ZH_PO)
    missing = [
        m.id
        for m in template
        if m.id and (catalog.get(m.id) is None or not all(_strings(catalog[m.id])) or catalog[m.id].fuzzy)
    ]
    total = sum(1 for m in template if m.id)
    assert total > 500
    assert not missing, f"{len(missing)} of {total} messages untranslated, e.g. {missing[:10]}"


def _placeholders(text: str) -> list[str]:
    """The str.format fields of `text` ({name}, {n:>4}; a doubled brace is text), or its
    printf-style ones (%(prog)s, %s: click's own messages)."""
    try:
        fields = [
            f"{name}:{spec}!{conv}" for _text, name, spec, conv in string.Formatter().parse(text) if name is not None
        ]
    except ValueError:
        fields = []
    return sorted(fields + re.findall(r"%\([a-z_]+\)[sdr]|%[sd]", text))


def test_translations_keep_every_placeholder():
    catalog = _read_po(ZH_PO)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = [_placeholders(one) for one in ids]  # one Chinese form may use either's fields
        for translated in _strings(message):
            if translated and _placeholders(translated) not in allowed:
                wrong.append((ids[0], translated))
    assert not wrong, wrong[:10]


def test_the_shipped_mo_is_compiled_from_the_po():
    with ZH_MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in _read_po(ZH_PO):
        if not message.id or message.fuzzy or not all(_strings(message)):
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 1) == message.string[0]
        else:
            assert compiled.gettext(message.id) == message.string, message.id


# --- choosing the language ----------------------------------------------------------------------


def test_language_comes_from_the_flag_then_env_then_settings_then_locale(tmp_path):
    settings = tmp_path / "settings.yaml"
    assert i18n.choose(None, settings, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.choose(None, settings, {"LANG": "en_US.UTF-8"}) == "en"
    assert i18n.choose(None, settings, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}) == "zh"
    assert i18n.choose(None, settings, {}) == "en"
    settings.write_text("roadmap: nlp-90-days\nlanguage: zh  # 中文\n", encoding="utf-8")
    assert i18n.choose(None, settings, {"LANG": "en_US.UTF-8"}) == "zh"
    assert i18n.choose(None, settings, {"STUDYCTL_LANG": "en"}) == "en"
    assert i18n.choose("en", settings, {"STUDYCTL_LANG": "zh"}) == "en"
    settings.write_text("language: fr\n", encoding="utf-8")  # not ours: the locale decides
    assert i18n.choose(None, settings, {"LANG": "zh_CN"}) == "zh"


def test_a_bad_language_in_settings_is_reported_with_its_line(run, studyctl_home):
    studyctl_home.mkdir(parents=True)
    (studyctl_home / "settings.yaml").write_text("new_cards_per_day: 10\nlanguage: fr\n", encoding="utf-8")
    result = CliRunnerResult = run("validate")
    assert CliRunnerResult.exit_code != 0
    assert "settings.yaml:2" in result.output + result.stderr and "en, zh" in result.output + result.stderr


def _studyctl(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studyctl", *args], capture_output=True, text=True, env={**os.environ, **env}
    )


def test_help_and_click_messages_are_chinese_under_a_chinese_locale(studyctl_home):
    done = _studyctl("--help", env={"LANG": "zh_CN.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert "用法" in done.stdout and "显示此帮助信息并退出" in done.stdout.replace(" ", ""), done.stdout
    assert "Show today's plan" not in done.stdout
    english = _studyctl("--lang", "en", "--help", env={"LANG": "zh_CN.UTF-8"})
    assert "Show today's plan" in english.stdout and "用法" not in english.stdout


def test_a_commands_own_help_is_translated(studyctl_home):
    done = _studyctl("--lang", "zh", "today", "--help", env={})
    assert done.returncode == 0, done.stderr
    assert "Show today's plan" not in done.stdout and re.search(r"[\u4e00-\u9fff]{4}", done.stdout), done.stdout


def test_today_plain_speaks_chinese(studyctl_home):
    done = _studyctl("today", "--plain", "--date", "2026-12-02", env={"STUDYCTL_LANG": "zh"})
    assert done.returncode == 0, done.stderr
    assert "12月2日 周三" in done.stdout, done.stdout
    assert "reviews due" not in done.stdout and "new cards" not in done.stdout, done.stdout


# --- dates, widths, content -------------------------------------------------------------------------


def test_dates_in_each_language():
    day = dt.date(2026, 12, 2)
    assert i18n.day_label(day) == "Wed 2 Dec" and i18n.short_date(day) == "2 Dec 2026"
    i18n.activate("zh")
    assert i18n.day_label(day) == "12月2日 周三" and i18n.short_date(day) == "2026年12月2日"
    assert i18n.day_label(dt.date(2027, 1, 3), year=True) == "2027年1月3日 周日"


def test_dates_among_figures_line_up_in_chinese_and_stay_iso_in_english(run):
    assert i18n.figure_day("2026-12-02") == "2026-12-02"
    assert i18n.plain_date("2026-12-02T21:40:00+00:00") == "2026-12-02"
    i18n.activate("zh")
    assert i18n.plain_date(dt.date(2026, 12, 2)) == "2026年12月2日"
    assert i18n.figure_day("2026-12-02") == "12月2日 周三 "
    assert {i18n.width(i18n.figure_day(dt.date(2026, 12, d))) for d in range(1, 32)} == {13}
    shown = run("--lang", "zh", "stats").stdout
    assert "今天（" in shown and "周" in shown and "-12-" not in shown  # no ISO date left in the Chinese stats


def test_widths_count_a_chinese_character_as_two_columns():
    assert i18n.width("复习 12") == 7 and i18n.width("review") == 6
    assert i18n.ljust("阶段", 6) == "阶段  " and i18n.rjust("卡片", 5) == " 卡片"
    assert i18n.ljust("too long already", 3) == "too long already"


class _Item:
    title = "Deep learning"
    title_zh = "深度学习"
    notes = "English notes"
    notes_zh = ""


def test_content_shows_the_users_language_where_it_exists():
    assert i18n.localized(_Item()) == "Deep learning"
    i18n.activate("zh")
    assert i18n.localized(_Item()) == "深度学习"
    assert i18n.localized(_Item(), "notes") == "English notes"  # no Chinese: the English, never blank


def test_the_five_roadmaps_carry_their_chinese_titles_from_the_seeds():
    """Each roadmap's Chinese title is the seed's own words, copied, never invented."""
    from studyctl.content.library import load_library

    seeds = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests" / "data" / "seeds").glob("*.txt"))
    roadmaps = load_library([REPO]).roadmaps
    assert len(roadmaps) == 5
    for roadmap in roadmaps.values():
        assert roadmap.title_zh and roadmap.title_zh in seeds, roadmap.id


def test_the_five_roadmaps_say_their_own_prose_in_chinese_too():
    """Every task has a Chinese title (the seed's own words where it names the resource in
    Chinese); summaries, phase goals and task notes are our words, so each has its Chinese beside
    it; a lab task is named by its lab's Chinese title."""
    from studyctl.content.library import load_library

    library = load_library([REPO])
    for roadmap in library.roadmaps.values():
        assert roadmap.summary_zh, roadmap.id
        for phase in roadmap.phases:
            assert bool(phase.goal_zh) == bool(phase.goal), (roadmap.id, phase.id)
        for task in roadmap.tasks:
            assert task.title_zh, (roadmap.id, task.id)
            assert bool(task.notes_zh) == bool(task.notes), (roadmap.id, task.id)
            if task.lab:
                assert task.title_zh and library.labs[task.lab].title_zh in task.title_zh, (roadmap.id, task.id)


def test_every_lab_has_its_instructions_in_chinese_and_shows_them_in_chinese():
    from studyctl.content.labs import load_lab
    from studyctl.labkit.workspace import instructions

    for manifest in sorted((REPO / "labs").glob("*/lab.yaml")):
        english = (manifest.parent / "README.md").read_text(encoding="utf-8")
        chinese = (manifest.parent / "README.zh.md").read_text(encoding="utf-8")
        assert chinese.count("```") == english.count("```"), manifest.parent.name
        assert re.findall(r"\$[^$\n]+\$", chinese) == re.findall(r"\$[^$\n]+\$", english), manifest.parent.name
        lab = load_lab(manifest)[0]
        assert lab.title_zh, manifest.parent.name
        assert instructions(lab) == english
        i18n.activate("zh")
        assert instructions(lab) == chinese
        i18n.activate("en")


BILINGUAL_DECK = """
id: both
title: Both languages
title_zh: 双语卡组
cards:
  - id: relu
    type: basic
    front: What does ReLU return for a negative input?
    front_zh: ReLU 对负数输入返回什么？
    back: Zero.
    back_zh: 零。
    zh: 线性整流函数
"""


def _review_once(run, tmp_path, studyctl_home, settings: str, *args: str) -> str:
    from conftest import write

    content = tmp_path / "content"
    write(content / "decks" / "both.yaml", BILINGUAL_DECK)
    write(studyctl_home / "settings.yaml", f"content_dirs: [{content}]\n{settings}")
    result = run(*args, "review", "--deck", "both", input="\n3\n")
    assert result.exit_code == 0, result.stderr
    return result.output


def test_chinese_term_after_the_answer_by_default(run, tmp_path, studyctl_home):
    out = _review_once(run, tmp_path, studyctl_home, "")
    assert out.index("What does ReLU return") < out.index("Zero.") < out.index("中文: 线性整流函数")


def test_chinese_term_takes_chinese_punctuation_in_a_chinese_interface(run, tmp_path, studyctl_home):
    out = _review_once(run, tmp_path, studyctl_home, "", "--lang", "zh")
    assert "中文：线性整流函数" in out and "中文: " not in out


def test_chinese_term_first_shows_it_with_the_question(run, tmp_path, studyctl_home):
    out = _review_once(run, tmp_path, studyctl_home, "chinese_term: first\n")
    answer_side = out[out.index("---") : out.index("1 Again")]
    assert out.index("中文: 线性整流函数") < out.index("Zero.") and "线性整流函数" not in answer_side


def test_chinese_term_hidden(run, tmp_path, studyctl_home):
    out = _review_once(run, tmp_path, studyctl_home, "chinese_term: hidden\n")
    assert "线性整流函数" not in out and "Zero." in out


def test_a_chinese_interface_shows_the_cards_chinese_sides(run, tmp_path, studyctl_home):
    out = _review_once(run, tmp_path, studyctl_home, "", "--lang", "zh")
    assert "ReLU 对负数输入返回什么？" in out and "零。" in out and "What does ReLU" not in out


def test_a_cloze_translation_must_hide_the_same_deletions(run, tmp_path):
    from conftest import write

    deck = write(
        tmp_path / "decks" / "c.yaml",
        "id: c\ntitle: C\ncards:\n  - {id: x, type: cloze, text: '{{c1::ReLU}} is {{c2::max(0, x)}}', "
        "text_zh: '{{c1::ReLU}} 等于 max(0, x)'}\n",
    )
    result = run("validate", str(deck))
    assert result.exit_code != 0
    assert "c.yaml:4" in result.output + result.stderr and "same deletions" in result.output + result.stderr


def test_a_labs_steps_show_their_chinese_titles_in_a_chinese_interface():
    from studyctl.labkit.result import FAIL, StepResult
    from studyctl.presentation.labs import format_step, progress_line

    step = StepResult(name="gram-matrix", status=FAIL, message="G[i, j] should be x_i · x_j")
    titles = (("gram-matrix", "Gram 矩阵"),)
    assert "gram-matrix" in format_step(step, titles) and "Gram 矩阵" not in format_step(step, titles)
    i18n.activate("zh")
    assert "Gram 矩阵" in format_step(step, titles) and "失败" in format_step(step, titles)
    assert "Gram 矩阵" in progress_line("gram-matrix", 1, 2, {}, titles)
    assert "primal" in format_step(StepResult(name="primal", status=FAIL), titles)  # no title: the name


def test_every_lab_names_each_of_its_steps_in_chinese():
    from studyctl.content.labs import load_lab

    for manifest in sorted((REPO / "labs").glob("*/lab.yaml")):
        declared = set(re.findall(r'@check\.step\(\s*"([^"]+)"', (manifest.parent / "check.py").read_text()))
        lab = load_lab(manifest)[0]
        assert declared and set(dict(lab.steps_zh)) == declared, manifest.parent.name


def test_a_skipped_step_names_the_steps_it_needs_by_their_titles():
    """The check's child process knows only step names; the reader sees the lab's titles."""
    from studyctl.labkit.result import StepResult
    from studyctl.presentation.labs import format_step

    skipped = StepResult("dual", "skip", "not run: needs 'primal' to pass first", needs=["primal"])
    titles = (("primal", "原始形式"), ("dual", "对偶形式"))
    assert format_step(skipped, titles).endswith("dual  not run: needs 'primal' to pass first")
    i18n.activate("zh")
    assert format_step(skipped, titles).endswith("对偶形式  未运行：需要先通过 “原始形式”")

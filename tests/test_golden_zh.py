"""Golden outputs of `today --plain` and `plan --week` on the test roadmap, in English and in
Chinese: the English byte for byte as it always was, the Chinese as a reader sees it (dates as
11月23日 周一, columns aligned by width on screen). The Chinese ones need the compiled catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyctl import i18n

MO = Path(i18n.LOCALE_DIR) / "zh" / "LC_MESSAGES" / "studyctl.mo"

TODAY_EN = """\
Monday 23 November 2026 - A small roadmap (day 1)
Budget 60 min · studied today 0 min, 60 left · planned 42 min

Cards
     0 reviews due              ~0 min
     4 new cards (5 not yet seen in your unlocked decks)  ~2 min
                from good (4)
                deck task deck-d: 2 of 3 min of card time
                studyctl review

Tasks
  First phase
    40 min  read     Read A (read-a)

Forecast
  On track: 6 h left, at your budget you finish Sat 28 Nov 2026, 8 safe days before the deadline (Sun 06 Dec 2026).
  Your real pace shows after 7 days more of logging (`studyctl done TASK --minutes M`).
"""

TODAY_ZH = """\
2026年11月23日 周一 - A small roadmap（第 1 天）
时间预算 60 分钟 · 今天已学 0 分钟，还剩 60 分钟 · 已计划 42 分钟

卡片
     0 张卡片到期复习              约 0 分钟
     4 张新卡片（已解锁的卡组里还有 5 张没学过）  约 2 分钟
                来自 good (4)
                卡组任务 deck-d：卡片时间 2/3 分钟
                studyctl review

任务
  First phase
    40 分钟  阅读     Read A (read-a)

预测
  进度正常：还剩 6 小时，按你的时间预算将在 2026年11月28日 周六 完成，比截止日期（2026年12月6日 周日）提前 8 天。
  再记录 7 天，就能看到你的实际进度（`studyctl done TASK --minutes M`）。
"""

SATURDAY_EN = """\
Saturday 28 November 2026 - A small roadmap (day 6)
Budget 180 min · studied today 0 min, 180 left · planned 180 min

Cards
     0 reviews due              ~0 min
     4 new cards (5 not yet seen in your unlocked decks)  ~2 min
                from good (4)
                deck task deck-d: 2 of 3 min of card time
                studyctl review

Tasks
  First phase
    40 min  read     Read A (read-a)
    45 min  lab      Lab C (lab-c)
                studyctl lab start mlp-digits
    93 min  watch    Watch B (watch-b)  [0+93 of 300 min]

Forecast
  On track: 6 h left, at your budget you finish Mon 30 Nov 2026, 6 safe days before the deadline (Sun 06 Dec 2026).
  Your real pace shows after 2 days more of logging (`studyctl done TASK --minutes M`).
"""

SATURDAY_ZH = """\
2026年11月28日 周六 - A small roadmap（第 6 天）
时间预算 180 分钟 · 今天已学 0 分钟，还剩 180 分钟 · 已计划 180 分钟

卡片
     0 张卡片到期复习              约 0 分钟
     4 张新卡片（已解锁的卡组里还有 5 张没学过）  约 2 分钟
                来自 good (4)
                卡组任务 deck-d：卡片时间 2/3 分钟
                studyctl review

任务
  First phase
    40 分钟  阅读     Read A (read-a)
    45 分钟  实验     Lab C (lab-c)
                studyctl lab start mlp-digits
    93 分钟  观看     Watch B (watch-b)  [0+93/300 分钟]

预测
  进度正常：还剩 6 小时，按你的时间预算将在 2026年11月30日 周一 完成，比截止日期（2026年12月6日 周日）提前 6 天。
  再记录 2 天，就能看到你的实际进度（`studyctl done TASK --minutes M`）。
"""

WEEK_EN = """\
Mon 23 Nov   42/60  min  0 reviews, 4 new cards (good)
          40 min  read     Read A
Tue 24 Nov   46/60  min  0 reviews, 1 new card (good)
          45 min  lab      Lab C
Wed 25 Nov   60/60  min  5 reviews, 0 new cards
          59 min  watch    Watch B (59/300)
Thu 26 Nov   60/60  min  1 review, 0 new cards
          59 min  watch    Watch B (118/300)
Fri 27 Nov   60/60  min  0 reviews, 0 new cards
          60 min  watch    Watch B (178/300)
Sat 28 Nov  122/180 min  0 reviews, 0 new cards
         122 min  watch    Watch B (300/300)
Sun 29 Nov    0/180 min  0 reviews, 0 new cards

390 of 660 budgeted minutes planned.
On track: 6 h left, at your budget you finish Sat 28 Nov 2026, 8 safe days before the deadline (Sun 06 Dec 2026).
Your real pace shows after 7 days more of logging (`studyctl done TASK --minutes M`).
"""

WEEK_ZH = """\
11月23日 周一   42/60  分钟  0 次复习，4 张新卡片（good）
          40 分钟  阅读     Read A
11月24日 周二   46/60  分钟  0 次复习，1 张新卡片（good）
          45 分钟  实验     Lab C
11月25日 周三   60/60  分钟  5 次复习，0 张新卡片
          59 分钟  观看     Watch B (59/300)
11月26日 周四   60/60  分钟  1 次复习，0 张新卡片
          59 分钟  观看     Watch B (118/300)
11月27日 周五   60/60  分钟  0 次复习，0 张新卡片
          60 分钟  观看     Watch B (178/300)
11月28日 周六  122/180 分钟  0 次复习，0 张新卡片
         122 分钟  观看     Watch B (300/300)
11月29日 周日    0/180 分钟  0 次复习，0 张新卡片

时间预算共 660 分钟，已计划 390 分钟。
进度正常：还剩 6 小时，按你的时间预算将在 2026年11月28日 周六 完成，比截止日期（2026年12月6日 周日）提前 8 天。
再记录 7 天，就能看到你的实际进度（`studyctl done TASK --minutes M`）。
"""

CASES = {
    "today": (("today", "--plain", "--date", "2026-11-23"), TODAY_EN, TODAY_ZH),
    "saturday": (("today", "--plain", "--date", "2026-11-28"), SATURDAY_EN, SATURDAY_ZH),
    "week": (("plan", "--week", "--date", "2026-11-23"), WEEK_EN, WEEK_ZH),
}


@pytest.fixture
def following(run, content):
    """The small test roadmap, started on Monday 23 November 2026 with a deadline two weeks on."""
    run("--content", str(content), "roadmap", "use", "small", "--start", "2026-11-23", "--deadline", "2026-12-06")

    def output(*args: str) -> str:
        result = run("--content", str(content), *args)
        assert result.exit_code == 0, result.output
        return result.stdout

    return output


@pytest.fixture
def chinese():
    if not MO.exists():
        pytest.skip("no compiled catalog (studyctl/locale/zh/LC_MESSAGES/studyctl.mo)")
    i18n.activate("zh")
    try:
        if i18n._("Forecast") == "Forecast":
            pytest.skip("the compiled catalog doesn't have the plan's messages yet")
        yield
    finally:
        i18n.activate("en")


@pytest.mark.parametrize("case", CASES)
def test_english_output_is_unchanged(following, case):
    args, english, _ = CASES[case]
    assert following(*args) == english


@pytest.mark.parametrize("case", CASES)
def test_chinese_output(following, chinese, case):
    args, _, chinese_text = CASES[case]
    assert following(*args) == chinese_text


def test_json_stays_english_in_chinese(following, chinese, run, content):
    run("--content", str(content), "done", "read-a", "--minutes", "70", "--date", "2026-11-23")
    assert "今天的时间预算已用完" in following("today", "--plain", "--date", "2026-11-23")
    plan = following("today", "--json", "--date", "2026-11-23")
    assert "Today's budget is used up: anything more is a head start on tomorrow." in plan
    assert not any("\u4e00" <= char <= "\u9fff" for char in plan)

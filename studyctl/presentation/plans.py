"""Day plans, forecasts and the week ahead as text (`today --plain`, `plan --week`, the TUI's
today screen and forecast panel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from studyctl import i18n
from studyctl.i18n import _, localized, ngettext
from studyctl.planner.day import DayPlan, PlannedTask
from studyctl.planner.forecast import MIN_HISTORY_DAYS, Forecast
from studyctl.presentation.words import kind_label, other_title, sentences, wrap
from studyctl.store.queries import NEW_COUNT_CAP

INDENT = " " * 16
WEEK_DAY_WIDTH = 13  # "11月23日 周一": the Chinese day of `plan --week`, padded to the longest


def plain(text: str) -> str:
    return text


def date(day: dt.date | None) -> str:
    """A date in a sentence: "Sat 28 Nov 2026" / "2026年11月28日 周六"."""
    if day is None:
        return _("never")
    return i18n.day_label(day, year=True) if i18n.current() == "zh" else f"{day:%a %d %b %Y}"


def long_date(day: dt.date) -> str:
    """The day a plan is for: "Monday 23 November 2026" / "2026年11月23日 周一"."""
    return i18n.day_label(day, year=True) if i18n.current() == "zh" else f"{day:%A %d %B %Y}"


def week_day(day: dt.date) -> str:
    """A day of `plan --week`, the same width every line: "Mon 23 Nov" / "11月23日 周一"."""
    if i18n.current() == "zh":
        return i18n.ljust(i18n.day_label(day), WEEK_DAY_WIDTH)
    return f"{day:%a %d %b}"


def days(count: int) -> str:
    return ngettext("{count} day", "{count} days", count).format(count=count)


def minutes(count: int) -> str:
    return _("{minutes} min").format(minutes=count)


def format_plan(plan: DayPlan, bold: Callable[[str], str] = plain) -> str:
    """Today's plan as text read top to bottom (`studyctl today --plain`); `bold` styles headings."""
    heading = long_date(plan.day)
    if plan.roadmap_title:
        title = localized(plan, "roadmap_title")
        if plan.day_number and plan.day_number > 0:
            heading = _("{date} - {roadmap} (day {number})").format(date=heading, roadmap=title, number=plan.day_number)
        else:
            heading = _("{date} - {roadmap}").format(date=heading, roadmap=title)
    lines = [bold(heading), budget_line(plan)]
    if not plan.day_off:
        lines += ["", bold(_("Cards")), *card_lines(plan), "", bold(_("Tasks")), *task_lines(plan)]
    if plan.forecast:
        lines += ["", bold(_("Forecast")), *("  " + line for line in forecast_lines(plan.forecast, plan.roadmap_id))]
    for note in plan.notes:
        lines += ["", note]
    return "\n".join(lines)


def budget_line(plan: DayPlan) -> str:
    """ "Budget 120 min · studied today 35 min, 85 left · planned 85 min"."""
    return _("Budget {budget} min · studied today {studied} min, {left} left · planned {planned} min").format(
        budget=plan.budget_minutes, studied=plan.studied_minutes, left=plan.left_minutes, planned=plan.planned_minutes
    )


def card_lines(plan: DayPlan) -> list[str]:
    if plan.backlog_days:
        reviews = _("{planned} of {due} reviews due").format(planned=plan.reviews_planned, due=plan.reviews_due)
    else:
        reviews = ngettext("{due:>4} review due", "{due:>4} reviews due", plan.reviews_due).format(due=plan.reviews_due)
    unseen = f"{plan.new_available}+" if plan.new_available >= NEW_COUNT_CAP else str(plan.new_available)
    new = ngettext(
        "{count:>4} new card ({unseen} not yet seen in your unlocked decks)",
        "{count:>4} new cards ({unseen} not yet seen in your unlocked decks)",
        plan.new_cards,
    ).format(count=plan.new_cards, unseen=unseen)
    lines = [
        f"  {reviews}{'':14}" + _("~{minutes} min").format(minutes=plan.review_minutes),
        f"  {new}  " + _("~{minutes} min").format(minutes=plan.new_minutes),
    ]
    if plan.new_from:
        decks = ", ".join(f"{deck} ({n})" for deck, n in plan.new_from.items())
        lines.append(INDENT + _("from {decks}").format(decks=decks))
    for task in plan.deck_tasks:
        done, total = task.minutes_done + task.minutes_today, task.minutes_total
        if task.minutes_today:
            text = _("deck task {id}: {done} of {total} min of card time")
        else:
            text = _("deck task {id}: {done} of {total} min of card time (no new cards from it today)")
        lines.append(INDENT + text.format(id=task.id, done=done, total=total))
    if plan.reviews_due or plan.new_cards:
        lines.append(f"{INDENT}studyctl review")  # i18n: not shown (a command)
    return lines


def task_lines(plan: DayPlan) -> list[str]:
    if not plan.tasks:
        return ["  " + _("(none today)")]
    lines: list[str] = []
    phase = None
    for task in plan.tasks:
        if task.phase != phase:
            phase = task.phase
            title = localized(task, "phase_title")
            goal_text = localized(task, "phase_goal")
            goal = _("{phase}. Goal: {goal}").format(phase=title, goal=goal_text) if goal_text else title
            lines += wrap(goal, "  ", "    ")
        lines += task_block(task)
    return lines


def task_block(task: PlannedTask) -> list[str]:
    """One task: minutes, kind and title, then its parts, its title in the other language,
    where to find it and the roadmap's notes on it."""
    progress = ""
    if task.minutes_total > task.minutes_today:
        progress = "  " + _("[{done}+{today} of {total} min]").format(
            done=task.minutes_done, today=task.minutes_today, total=task.minutes_total
        )
    title = localized(task)
    if task.optional:
        title = _("{title} (optional)").format(title=title)
    head = _("{minutes:>4} min").format(minutes=task.minutes_today)
    lines = [f"  {head}  {i18n.ljust(kind_label(task.kind), 8)} {title} ({task.id}){progress}"]
    if task.parts:
        lines.append(INDENT + _("today: {parts}").format(parts=task.parts))
    other = other_title(task)
    if other:
        lines.append(f"{INDENT}{other}")
    if task.kind == "lab":
        lines.append(f"{INDENT}studyctl lab start {task.lab}")  # i18n: not shown (a command)
    elif task.url:
        lines.append(f"{INDENT}{task.url}")
    notes = localized(task, "notes")
    if notes:
        lines += wrap(notes, INDENT)
    return lines


def forecast_lines(forecast: Forecast, roadmap_id: str = "") -> list[str]:
    """The verdict against the deadline in Beeminder's terms, then the finish at the real pace."""
    if forecast.finished:
        return [_("Roadmap finished.")]
    lines = [verdict(forecast, roadmap_id)]
    if forecast.dropped:
        count = len(forecast.dropped)
        lines.append(
            ngettext(
                "Dropped {count} optional task ({hours:.0f} h) to make the deadline: {tasks}.",
                "Dropped {count} optional tasks ({hours:.0f} h) to make the deadline: {tasks}.",
                count,
            ).format(count=count, hours=forecast.dropped_minutes / 60, tasks=", ".join(forecast.dropped))
        )
    lines.append(pace_line(forecast))
    return lines


def verdict(forecast: Forecast, roadmap_id: str = "") -> str:
    hours = forecast.minutes_left / 60
    deadline = forecast.deadline
    new_deadline = f"studyctl roadmap use {roadmap_id or 'ID'} --deadline YYYY-MM-DD"  # i18n: not shown (a command)
    if forecast.stuck:
        return _(
            "{hours:.0f} h left, but no day of your budget fits {tasks}: raise the budget, or lower the task's "
            "chunk.min."
        ).format(hours=hours, tasks=", ".join(forecast.stuck))
    finish = forecast.finish
    catch_up = ""
    if forecast.extra_minutes_per_day:
        catch_up = " " + _("+{minutes} min a day for the {days} to the deadline would make it.").format(
            minutes=forecast.extra_minutes_per_day, days=days(forecast.extra_days)
        )
    if finish is None:
        text = _("{hours:.0f} h left: at this budget the roadmap doesn't finish within three years.").format(
            hours=hours
        )
        return text + catch_up if deadline else text
    if deadline is None:
        return _(
            "{hours:.0f} h left; at your budget you finish {finish}. No deadline: set one with `{command}`."
        ).format(hours=hours, finish=date(finish), command=new_deadline)
    if forecast.deadline_passed:
        return _(
            "Deadline {deadline} passed {ago} ago; {hours:.0f} h left, at your budget you finish {finish} ({late} "
            "late). Set a new one: `{command}`."
        ).format(
            deadline=date(deadline),
            ago=days((forecast.today - deadline).days),
            hours=hours,
            finish=date(finish),
            late=days((finish - deadline).days),
            command=new_deadline,
        )
    if finish <= deadline:
        safe = forecast.safe_days or 0
        return ngettext(
            "On track: {hours:.0f} h left, at your budget you finish {finish}, {safe} safe day before the deadline "
            "({deadline}).",
            "On track: {hours:.0f} h left, at your budget you finish {finish}, {safe} safe days before the deadline "
            "({deadline}).",
            safe,
        ).format(hours=hours, finish=date(finish), safe=safe, deadline=date(deadline))
    behind = _(
        "Behind: {hours:.0f} h left, at your budget you finish {finish}, {late} after the deadline ({deadline})."
    ).format(hours=hours, finish=date(finish), late=days(forecast.days_behind or 0), deadline=date(deadline))
    return behind + catch_up


def pace_line(forecast: Forecast) -> str:
    if forecast.pace_per_day is None:
        wait = max(1, MIN_HISTORY_DAYS - forecast.history_days)
        return _("Your real pace shows after {days} more of logging (`studyctl done TASK --minutes M`).").format(
            days=days(wait)
        )
    if forecast.pace_per_day < 1:
        return _("Your real pace: no task minutes logged lately; at that pace the roadmap never ends.")
    pace, finish, deadline = forecast.pace_per_day, forecast.finish_at_pace, forecast.deadline
    if finish is None:
        return _("At your real pace lately ({pace:.0f} min of tasks a day) you finish never.").format(pace=pace)
    if deadline and finish > deadline:
        return _(
            "At your real pace lately ({pace:.0f} min of tasks a day) you finish {finish}, {late} after the deadline."
        ).format(pace=pace, finish=date(finish), late=days((finish - deadline).days))
    return _("At your real pace lately ({pace:.0f} min of tasks a day) you finish {finish}.").format(
        pace=pace, finish=date(finish)
    )


def describe_forecast(forecast: Forecast, roadmap_id: str = "") -> str:
    """The forecast in a few sentences on one line."""
    return sentences(forecast_lines(forecast, roadmap_id))


def format_days(plans: list[DayPlan]) -> str:
    """The days ahead, one block a day (`studyctl plan --week`)."""
    from studyctl.planner.week import week_budget

    lines = []
    for day in plans:
        head = f"{week_day(day.day)}  " + _("{planned:>3}/{budget:<3} min").format(
            planned=day.planned_minutes, budget=day.budget_minutes
        )
        if day.day_off:
            lines.append(f"{head}  " + _("day off"))
            continue
        if day.backlog_days:
            reviews = ngettext("{count} review (of {due})", "{count} reviews (of {due})", day.reviews_planned)
        else:
            reviews = ngettext("{count} review", "{count} reviews", day.reviews_planned)
        if day.new_from:
            new = ngettext("{count} new card ({decks})", "{count} new cards ({decks})", day.new_cards)
        else:
            new = ngettext("{count} new card", "{count} new cards", day.new_cards)
        cards = _("{reviews}, {new}").format(
            reviews=reviews.format(count=day.reviews_planned, due=day.reviews_due),
            new=new.format(count=day.new_cards, decks=", ".join(day.new_from)),
        )
        lines.append(f"{head}  {cards}")
        for task in day.tasks:
            part = (
                f" ({task.minutes_done + task.minutes_today}/{task.minutes_total})"
                if task.minutes_total > task.minutes_today
                else ""
            )
            title = localized(task)
            if task.parts:
                title = _("{title}: {parts}").format(title=title, parts=task.parts)
            minutes_today = _("{minutes:>4} min").format(minutes=task.minutes_today)
            lines.append(f"{'':8}{minutes_today}  {i18n.ljust(kind_label(task.kind), 8)} {title}{part}")
    planned, budget = week_budget(plans)
    lines.append("\n" + _("{planned} of {budget} budgeted minutes planned.").format(planned=planned, budget=budget))
    if plans and plans[0].forecast:
        lines += forecast_lines(plans[0].forecast, plans[0].roadmap_id)
    return "\n".join(lines)

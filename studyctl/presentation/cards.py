"""Cards in words both faces show: when a card is due, and `card info`'s lines."""

from __future__ import annotations

import datetime as dt

from studyctl.service.cards import CardInfo

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


def due_text(due: str, now: dt.datetime) -> str:
    """'due now', 'due 21:40' (later today), 'due 2026-12-01' (local time)."""
    moment = dt.datetime.fromisoformat(due)
    if moment <= now:
        return "due now"
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return f"due {local:%H:%M}"
    return f"due {local:%Y-%m-%d}"


def info_lines(one: CardInfo, now: dt.datetime) -> list[str]:
    """`card info` as lines of text (the CLI prints them, the TUI shows them in a dialog)."""
    where = f"{one.file}:{one.line}" if one.file and one.line else (one.file or "?")
    lines = [f"{one.key}  ·  {one.type}  ·  {where}", f"Front: {one.front.strip()}"]
    if one.back:
        lines.append(f"Back:  {one.back.strip()}")
    if one.extra.get("choices"):
        lines.append(f"Choices: {' | '.join(map(str, one.extra['choices']))}")
    if one.extra.get("answer"):
        lines.append(f"Answer: {one.extra['answer']}")
    details = [f"zh: {one.zh}"] if one.zh else []
    details += [f"tags: {', '.join(one.tags)}"] if one.tags else []
    details += [f"refs: {', '.join(one.refs)}"] if one.refs else []
    if details:
        lines.append("  ·  ".join(details))
    reviews = f"{one.reps} review{'s' if one.reps != 1 else ''}, {one.lapses} lapse{'s' if one.lapses != 1 else ''}"
    if one.state == "new":
        lines.append("State: new (never reviewed)")
    else:
        due = due_text(one.due, now) if one.due else "not scheduled"
        lines.append(f"State: {one.state} ({reviews})  ·  {due}")
        schedule = []
        if one.stability is not None:
            schedule.append(f"stability {one.stability:.1f} days")
        if one.difficulty is not None:
            schedule.append(f"difficulty {one.difficulty:.1f}/10")
        if one.retrievability is not None:
            schedule.append(f"retrievability {one.retrievability:.0%}")
        if schedule:
            lines.append("  ·  ".join(schedule).capitalize())
    marks = []
    if one.suspended:
        marks.append("suspended" + (" (leech)" if one.leech else ""))
    elif one.leech:
        marks.append("leech")
    if one.buried_until:
        marks.append("buried until tomorrow")
    if one.flag_note:
        marks.append(f"flagged: {one.flag_note}")
    if marks:
        lines.append("Marks: " + "  ·  ".join(marks))
    if not one.reviews:
        lines.append("No reviews yet.")
        return lines
    lines.append(f"Reviews ({len(one.reviews)}):")
    for entry in one.reviews:
        when = dt.datetime.fromisoformat(entry.reviewed_at).astimezone()
        took = f"{entry.duration_ms / 1000:.1f}s" if entry.duration_ms is not None else ""
        answer = f"  {entry.answer!r}" if entry.answer is not None else ""
        lines.append(
            f"  {when:%Y-%m-%d %H:%M}  {entry.kind:<10}  {RATINGS.get(entry.rating, '?'):<5}  "
            f"{entry.grading or '':<8}  {took:>6}{answer}"
        )
    return lines

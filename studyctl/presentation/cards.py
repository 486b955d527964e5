"""Cards in words both faces show: when a card is due, and `card info`'s lines."""

from __future__ import annotations

import datetime as dt

from studyctl import i18n
from studyctl.i18n import N_, _, ngettext, plain_date
from studyctl.service.cards import CardInfo
from studyctl.srs.scheduling import RATING_NAMES, rating_name
from studyctl.srs.session import NO_FLAG_NOTE

# A card's state and the state an answer found it in (`kind`), and how the answer was graded:
# identifiers in the store and in --json, words here.
STATES = {
    "new": N_("new"),
    "learning": N_("learning"),
    "review": N_("review"),
    "relearning": N_("relearning"),
    "cram": N_("cram"),
}
GRADINGS = {"self": N_("self"), "auto": N_("auto"), "override": N_("override")}


def _word(table: dict[str, str], key: str) -> str:
    return _(table[key]) if key in table else key


def due_text(due: str, now: dt.datetime) -> str:
    """'due now', 'due 21:40' (later today), 'due 2026-12-01' (local time)."""
    moment = dt.datetime.fromisoformat(due)
    if moment <= now:
        return _("due now")
    local = moment.astimezone()
    if local.date() == now.astimezone().date():
        return _("due {time}").format(time=f"{local:%H:%M}")
    return _("due {date}").format(date=plain_date(local.date()))


def info_lines(one: CardInfo, now: dt.datetime) -> list[str]:
    """`card info` as lines of text (the CLI prints them, the TUI shows them in a dialog)."""
    where = f"{one.file}:{one.line}" if one.file and one.line else (one.file or "?")
    lines = [f"{one.key}  ·  {one.type}  ·  {where}", _("Front: {text}").format(text=one.front.strip())]
    if one.back:
        lines.append(_("Back:  {text}").format(text=one.back.strip()))
    if one.extra.get("choices"):
        lines.append(_("Choices: {choices}").format(choices=" | ".join(map(str, one.extra["choices"]))))
    if one.extra.get("answer"):
        lines.append(_("Answer: {answer}").format(answer=one.extra["answer"]))
    details = [_("zh: {text}").format(text=one.zh)] if one.zh else []
    details += [_("tags: {tags}").format(tags=", ".join(one.tags))] if one.tags else []
    details += [_("refs: {refs}").format(refs=", ".join(one.refs))] if one.refs else []
    if details:
        lines.append("  ·  ".join(details))
    if one.state == "new":
        lines.append(_("State: new (never reviewed)"))
    else:
        due = due_text(one.due, now) if one.due else _("not scheduled")
        lines.append(
            _("State: {state} ({reviews}, {lapses})  ·  {due}").format(
                state=_word(STATES, one.state),
                reviews=ngettext("{count} review", "{count} reviews", one.reps).format(count=one.reps),
                lapses=ngettext("{count} lapse", "{count} lapses", one.lapses).format(count=one.lapses),
                due=due,
            )
        )
        schedule = []
        if one.stability is not None:
            schedule.append(_("stability {days:.1f} days").format(days=one.stability))
        if one.difficulty is not None:
            schedule.append(_("difficulty {difficulty:.1f}/10").format(difficulty=one.difficulty))
        if one.retrievability is not None:
            schedule.append(_("retrievability {percent:.0%}").format(percent=one.retrievability))
        if schedule:
            lines.append("  ·  ".join(schedule).capitalize())
    marks = []
    if one.suspended:
        marks.append(_("suspended (leech)") if one.leech else _("suspended"))
    elif one.leech:
        marks.append(_("leech"))
    if one.buried_until:
        marks.append(_("buried until tomorrow"))
    if one.flag_note:
        note = flag_note_text(one.flag_note)
        marks.append(_("flagged: {note}").format(note=note))
    if marks:
        lines.append(_("Marks: {marks}").format(marks="  ·  ".join(marks)))
    if not one.reviews:
        lines.append(_("No reviews yet."))
        return lines
    lines.append(_("Reviews ({count}):").format(count=len(one.reviews)))
    for entry in one.reviews:
        when = dt.datetime.fromisoformat(entry.reviewed_at).astimezone()
        took = _("{seconds:.1f}s").format(seconds=entry.duration_ms / 1000) if entry.duration_ms is not None else ""
        answer = f"  {entry.answer!r}" if entry.answer is not None else ""
        rating = rating_name(entry.rating) if entry.rating in RATING_NAMES else "?"
        grading = _word(GRADINGS, entry.grading) if entry.grading else ""
        lines.append(
            f"  {when:%Y-%m-%d %H:%M}  {i18n.ljust(_word(STATES, entry.kind), 10)}  {i18n.ljust(rating, 5)}  "
            f"{i18n.ljust(grading, 8)}  {i18n.rjust(took, 6)}{answer}"
        )
    return lines


def flag_note_text(note: str) -> str:
    """A flag's note as the reader sees it: the stored English "(no note)" in their language."""
    return _(NO_FLAG_NOTE) if note == NO_FLAG_NOTE else note

"""What both faces say about device sync: the last-sync line of `today`, `stats` and the app,
the report of one sync, and `studyctl sync --status`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from studyctl import i18n
from studyctl.i18n import _, ngettext

if TYPE_CHECKING:
    from studyctl.service.sync import LastSync, SyncResult, SyncStatus


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("{minutes} min ago").format(minutes=int(seconds // 60))
    if seconds < 86400:
        return _("{hours} h ago").format(hours=int(seconds // 3600))
    days = int(seconds // 86400)
    return ngettext("{count} day ago", "{count} days ago", days).format(count=days)


def last_sync_line(last: LastSync | None) -> str:
    """'Last sync 3 h ago (2026-11-23 19:02 UTC) with desk-1b2c3d, laptop-3f2a9c'."""
    if last is None:
        return _("Never synced with another device (studyctl sync DIR)")
    when = f"{last.at.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M}"
    if last.devices:
        text = _("Last sync {ago} ({time} UTC) with {devices}")
    else:
        text = _("Last sync {ago} ({time} UTC), no other device yet")
    return text.format(ago=ago(last.at, last.now), time=when, devices=", ".join(last.devices))


def last_sync_short(last: LastSync) -> str:
    """For a narrow panel: 'Synced 3 h ago · laptop-3f2a9c' (or '· 3 devices')."""
    count = len(last.devices)
    devices = (
        last.devices[0] if count == 1 else ngettext("{count} device", "{count} devices", count).format(count=count)
    )
    return _("Synced {ago} · {devices}").format(ago=ago(last.at, last.now), devices=devices)


def _waiting(count: int) -> str:
    return _("{count} event(s) wait for cards this machine doesn't have (a deck it lacks).").format(count=count)


def result_lines(result: SyncResult) -> list[str]:
    folder = f"{result.folder} (git)" if result.git else result.folder
    lines = [
        _("Synced through {folder} as {device}: {exported} event(s) out, {imported} new event(s) in.").format(
            folder=folder, device=result.device, exported=result.exported, imported=result.imported
        ),
        _("Devices: {devices}.").format(devices=", ".join(result.devices))
        if result.devices
        else _("Devices: none other yet."),
    ]
    if result.waiting:
        lines.append(_waiting(result.waiting))
    return lines


def status_lines(status: SyncStatus) -> list[str]:
    git = " (git)" if status.git else ""
    folder = (
        _("Folder: {folder}").format(folder=status.folder + git)
        if status.folder
        else _("Folder: (none yet: studyctl sync DIR)") + git
    )
    columns = (
        i18n.ljust(_("device"), 28),
        i18n.rjust(_("events"), 8) + " ",
        i18n.ljust(_("last event"), 27),
        i18n.rjust(_("segments"), 8) + " ",
        _("unread"),
    )
    header = " ".join(columns)
    lines = [folder, _("This device: {device}").format(device=status.device), last_sync_line(status.last), "", header]
    for device in status.devices:
        name = device.device + (" *" if device.this else "")
        last = f"{device.last_at} {device.last_kind}" if device.last_at else "-"
        lines.append(f"{name:<28} {device.events:>8}  {last:<27} {device.segments:>8}  {device.unread:>6}")
    if status.waiting:
        lines.append("\n" + _waiting(status.waiting))
    return lines

"""What both faces say about device sync: the last-sync line of `today`, `stats` and the app,
the report of one sync, and `studyctl sync --status`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyctl.service.sync import LastSync, SyncResult, SyncStatus


def ago(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0.0, (now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    return f"{days} day{'s' if days != 1 else ''} ago"


def last_sync_line(last: LastSync | None) -> str:
    """'Last sync 3 h ago (2026-11-23 19:02 UTC) with desk-1b2c3d, laptop-3f2a9c'."""
    if last is None:
        return "Never synced with another device (studyctl sync DIR)"
    when = f"Last sync {ago(last.at, last.now)} ({last.at.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC)"
    return f"{when} with {', '.join(last.devices)}" if last.devices else f"{when}, no other device yet"


def last_sync_short(last: LastSync) -> str:
    """For a narrow panel: 'Synced 3 h ago · laptop-3f2a9c' (or '· 3 devices')."""
    devices = last.devices[0] if len(last.devices) == 1 else f"{len(last.devices)} devices"
    return f"Synced {ago(last.at, last.now)} · {devices}"


def result_lines(result: SyncResult) -> list[str]:
    lines = [
        f"Synced through {result.folder}{' (git)' if result.git else ''} as {result.device}: "
        f"{result.exported} event(s) out, {result.imported} new event(s) in.",
        f"Devices: {', '.join(result.devices) if result.devices else 'none other yet'}.",
    ]
    if result.waiting:
        lines.append(f"{result.waiting} event(s) wait for cards this machine doesn't have (a deck it lacks).")
    return lines


def status_lines(status: SyncStatus) -> list[str]:
    lines = [
        f"Folder: {status.folder or '(none yet: studyctl sync DIR)'}{' (git)' if status.git else ''}",
        f"This device: {status.device}",
        last_sync_line(status.last),
        "",
        f"{'device':<28} {'events':>8}  {'last event':<27} {'segments':>8}  unread",
    ]
    for device in status.devices:
        name = device.device + (" *" if device.this else "")
        last = f"{device.last_at} {device.last_kind}" if device.last_at else "-"
        lines.append(f"{name:<28} {device.events:>8}  {last:<27} {device.segments:>8}  {device.unread:>6}")
    if status.waiting:
        lines.append(f"\n{status.waiting} event(s) wait for cards this machine doesn't have (a deck it lacks).")
    return lines

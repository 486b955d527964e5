"""The Textual TUI that `studyctl today` opens on a terminal: today, review, roadmap, labs and
stats screens. Build it with `studyctl.tui.app.make_app(home)`.

Nothing outside this package imports it except the TTY branch of `studyctl today`, so the
plain commands never load textual. Screens call the same service functions as the CLI, on the
app's database thread (`studyctl.tui.data`); no SQL and no scheduling logic live here.
"""

from __future__ import annotations

# Set by benchmarks/tui_startup.py (an environment variable's name):
EXIT_AFTER_FIRST_FRAME_ENV = "STUDYCTL_TUI_EXIT_AFTER_FIRST_FRAME"  # i18n: not shown


def run_app(home, *, on=None, minutes: int | None = None) -> None:
    """Run the app in this terminal until the user quits (what `studyctl today` does).

    The day's plan is started on the database thread first, so it is computed while textual
    is being imported; the today screen then draws it in its first frame."""
    from studyctl.tui.data import Backend, today_view

    backend = Backend(home)
    if not home.first_run:  # a first run shows the welcome screen instead
        backend.prefetch("today", today_view, on, minutes)
    try:
        from studyctl.tui.app import make_app

        app = make_app(home, on=on, minutes=minutes, backend=backend)
        # A broken settings.yaml or a database from a newer studyctl is reported like the plain
        # command reports it (file:line), before the app takes over the terminal.
        backend.wait("today")
    except BaseException:
        backend.close()
        raise
    app.run()

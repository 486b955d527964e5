"""The Textual app that `studyctl today` opens on a terminal, and its factory.

`make_app(home, ...)` builds the app from a service Home without running the CLI, so tests drive it
with `App.run_test()` on a temp STUDYCTL_HOME. The app starts on the today screen (or, on the
first run, the welcome screen); the review, roadmap, labs and stats screens are pushed on top of
it and their modules imported only when first opened, so the first frame stays fast.

Every action the keys, the footer and the command palette refer to is an `action_*` method
here or on a screen: one registry, many ways in.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType

from studyctl.i18n import N_, _
from studyctl.tui import EXIT_AFTER_FIRST_FRAME_ENV
from studyctl.tui.commands import StudyCommands, described
from studyctl.tui.screen import LocalizedBindings

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from studyctl.service.home import Home

DARK, LIGHT = "textual-dark", "textual-light"

SCREENS = {  # name -> module.class, imported on first use
    "review": "studyctl.tui.review.ReviewScreen",
    "roadmap": "studyctl.tui.roadmap.RoadmapScreen",
    "labs": "studyctl.tui.labs.LabsScreen",
    "stats": "studyctl.tui.stats.StatsScreen",
    "browse": "studyctl.tui.browse.BrowseScreen",
}


class StudyApp(LocalizedBindings, App):
    """studyctl in a terminal: today's plan, reviews, the roadmap, labs, stats and the cards."""

    CSS_PATH = "studyctl.tcss"
    TITLE = "studyctl"
    COMMANDS = App.COMMANDS | {StudyCommands}
    BINDINGS: ClassVar[list[BindingType]] = [  # the keys of every screen
        Binding("question_mark,f1", "help", N_("Help"), id="help"),
        Binding("slash", "browse", N_("Cards"), id="browse"),  # c is Check on the labs screen
        Binding("ctrl+t", "toggle_theme", N_("Light/dark"), id="theme", show=False),
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True, show=False),
        Binding("ctrl+p", "command_palette", N_("palette"), id="palette", priority=True, show=False),
    ]

    def __init__(
        self,
        home: Home,
        *,
        on: dt.date | None = None,
        minutes: int | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        first_run: bool | None = None,
        exit_when_ready: bool = False,
        theme: str = DARK,
        backend=None,
    ):
        super().__init__()
        from studyctl.tui.data import Backend

        self.home = home
        if clock is not None:
            home.clock = clock
        self.minutes = minutes
        self.clock = home.clock
        # The day planned: --date, else the injected clock's day (tests), else None: the CLI's today.
        self.plan_on = on
        self.fixed_clock = clock is not None
        self.first_run = first_run
        self.exit_when_ready = exit_when_ready
        self.day: dt.date | None = on  # known once the first plan is built
        self.backend = backend or Backend(home)
        self._start_theme = theme
        self._exiting = False
        self.errors: list[BaseException] = []  # what failed in a worker (tests assert it stays empty)

    # -- start and stop ----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self._start_theme
        first_run = self.first_run
        if first_run is None:
            first_run = self.home.first_run
        if first_run:
            from studyctl.tui.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(), callback=self._welcomed)
        else:
            self._open_today()

    def _welcomed(self, saved: object) -> None:
        self._open_today()

    def _open_today(self) -> None:
        from studyctl.tui.today import TodayScreen

        self.push_screen(TodayScreen())

    async def on_unmount(self) -> None:
        self.backend.close()

    async def plan_day(self) -> dt.date | None:
        """The `on` argument for build_today: --date, or the test clock's study day."""
        if self.plan_on is None and self.fixed_clock:
            from studyctl.tui import data

            self.plan_on = await self.backend.call(data.study_day)
        return self.plan_on

    def first_frame_shown(self) -> None:
        """Called by the today screen when it has its plan: with exit_when_ready (the startup
        benchmark) the app exits right after that frame is drawn, as the hello-world app does."""
        if self.exit_when_ready and not self._exiting:
            self._exiting = True
            self.call_after_refresh(self.exit)

    # -- navigation ----------------------------------------------------------------------------

    def open_screen(self, name: str) -> None:
        """Show one of SCREENS on top of the today screen (leaving any other one)."""
        import importlib

        from studyctl.tui.today import TodayScreen

        module, _dot, cls_name = SCREENS[name].rpartition(".")
        screen_cls = getattr(importlib.import_module(module), cls_name)
        if isinstance(self.screen, screen_cls):
            return
        if not any(isinstance(s, TodayScreen) for s in self.screen_stack):
            return  # still on the welcome screen
        while not isinstance(self.screen, TodayScreen):
            self.pop_screen()
        self.push_screen(screen_cls())

    def action_review(self) -> None:
        self.open_screen("review")

    def action_roadmap(self) -> None:
        self.open_screen("roadmap")

    def action_labs(self) -> None:
        self.open_screen("labs")

    def action_stats(self) -> None:
        self.open_screen("stats")

    def action_browse(self) -> None:
        """The browse screen: find, inspect, edit and unsuspend cards."""
        self.open_screen("browse")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "browse":  # never in the middle of a review, over a dialog or before the welcome is done
            from studyctl.tui.today import TodayScreen

            started = any(isinstance(screen, TodayScreen) for screen in self.screen_stack)
            return started and not getattr(self.screen, "in_session", False) and not self.screen.is_modal
        return True

    def action_today(self) -> None:
        from studyctl.tui.today import TodayScreen

        if not any(isinstance(s, TodayScreen) for s in self.screen_stack):
            return
        while not isinstance(self.screen, TodayScreen):
            self.pop_screen()

    def action_help(self) -> None:
        from studyctl.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def action_command_palette(self) -> None:
        """Textual's palette, with its prompt in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        return described(super().get_system_commands(screen))

    def on_worker_state_changed(self, event) -> None:
        """A worker (screens start them with exit_on_error=False) failed: say what went wrong
        (a broken content file names file:line) and keep the app running."""
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, error: BaseException) -> None:
        """Say what went wrong (in the store's words for a database or disk failure) and keep
        the app running; tests assert `errors` stays empty."""
        self.errors.append(error)
        self.log.error(error)
        self.say(worker_error_message(error), severity="error", timeout=15)

    def say(self, message: str, *, severity: SeverityLevel = "information", timeout: float = 4) -> None:
        """A toast with `message` shown literally (card text and file names are not markup)."""
        self.notify(message, severity=severity, timeout=timeout, markup=False)


def worker_error_message(error: BaseException) -> str:
    """What a failed worker shows: a StudyctlError's own lines, a database or disk failure in
    the store's words (what is wrong and what to do), anything else as the bug it is."""
    from studyctl.errors import StudyctlError
    from studyctl.store.db import explain

    if isinstance(error, StudyctlError):
        return "\n".join(line.removeprefix("error: ") for line in error.lines())
    explained = explain(error)
    return explained if explained is not None else _("Something went wrong: {error}").format(error=error)


def make_app(
    home: Home,
    *,
    on: dt.date | None = None,
    minutes: int | None = None,
    clock: Callable[[], dt.datetime] | None = None,
    first_run: bool | None = None,
    exit_when_ready: bool | None = None,
    theme: str = DARK,
    backend=None,
) -> StudyApp:
    """The app for a studyctl Home; the app owns the home's database connection from now on (it
    is opened on the app's database thread). `clock` pins "now" (tests, screenshots);
    `backend`: a data.Backend already at work (see studyctl.tui.run_app)."""
    if exit_when_ready is None:
        exit_when_ready = bool(os.environ.get(EXIT_AFTER_FIRST_FRAME_ENV))
    return StudyApp(
        home,
        on=on,
        minutes=minutes,
        clock=clock,
        first_run=first_run,
        exit_when_ready=exit_when_ready,
        theme=theme,
        backend=backend,
    )

"""`studyctl optimize`: fit FSRS parameters to your own review log, judged on held-out cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json
from studyctl.i18n import _, ngettext

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.option("--dry-run", is_flag=True, help=_("Fit and report, but save nothing."))
@click.option(
    "--engine",
    type=click.Choice(["rs", "torch"]),
    default="rs",
    show_default=True,
    help=_("rs: fsrs-rs (fast, the default); torch: the fsrs package's own PyTorch optimizer."),
)
@json_option
@click.pass_obj
def optimize(home: Home, dry_run: bool, engine: str, json_: bool) -> None:
    """Fit the scheduler's FSRS parameters to your own reviews.

    The cards are split 80/20: the parameters are fitted on the first part and judged on the
    held-out part, against the parameters in use now. They are saved to settings.yaml
    (review.fsrs_parameters) only if they predict the held-out reviews better. Needs at least
    1,000 reviews of learned cards (exit 2 below that).
    """
    from studyctl.service.maintenance import optimize as fit

    done = fit(home, engine=engine, dry_run=dry_run)
    if json_:
        print_json(done.to_dict())
        return
    result = done.result
    before, after = result.before, result.after
    click.echo(
        _("Review log: {answers}, {reviews} of them reviews of learned cards.").format(
            answers=ngettext("{n} answer", "{n} answers", result.reviews).format(n=result.reviews),
            reviews=result.review_state_reviews,
        )
    )
    click.echo(
        _("Fitted on {cards} ({answers}) with {engine} in {seconds:.2f} s; judged on {held_out} ({reviews}).").format(
            cards=ngettext("{n} card", "{n} cards", result.train_cards).format(n=result.train_cards),
            answers=ngettext("{n} answer", "{n} answers", result.train_reviews).format(n=result.train_reviews),
            engine=engine,
            seconds=result.seconds,
            held_out=ngettext("{n} held-out card", "{n} held-out cards", result.held_out_cards).format(
                n=result.held_out_cards
            ),
            reviews=ngettext("{n} review", "{n} reviews", before.reviews).format(n=before.reviews),
        )
    )
    click.echo(
        _("Held-out log loss:   {now:.4f} now -> {fitted:.4f} fitted (lower is better)").format(
            now=before.log_loss, fitted=after.log_loss
        )
    )
    click.echo(
        _("Held-out RMSE (bins): {now:.4f} now -> {fitted:.4f} fitted").format(
            now=before.rmse_bins, fitted=after.rmse_bins
        )
    )
    if dry_run:
        click.echo(_("Dry run: nothing saved."))
    elif done.saved:
        click.echo(_("Saved the fitted parameters to {path} (review.fsrs_parameters).").format(path=done.settings_path))
    else:
        click.echo(_("Kept the current parameters: the fitted ones do not predict the held-out reviews better."))

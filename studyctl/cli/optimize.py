"""`studyctl optimize`: fit FSRS parameters to your own review log, judged on held-out cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from studyctl.cli.options import json_option, print_json

if TYPE_CHECKING:
    from studyctl.service.home import Home


@click.command()
@click.option("--dry-run", is_flag=True, help="Fit and report, but save nothing.")
@click.option(
    "--engine",
    type=click.Choice(["rs", "torch"]),
    default="rs",
    show_default=True,
    help="rs: fsrs-rs (fast, the default); torch: the fsrs package's own PyTorch optimizer.",
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
    click.echo(f"Review log: {result.reviews} answers, {result.review_state_reviews} of them reviews of learned cards.")
    click.echo(
        f"Fitted on {result.train_cards} cards ({result.train_reviews} answers) with {engine} in "
        f"{result.seconds:.2f} s; judged on {result.held_out_cards} held-out cards ({before.reviews} reviews)."
    )
    click.echo(f"Held-out log loss:   {before.log_loss:.4f} now -> {after.log_loss:.4f} fitted (lower is better)")
    click.echo(f"Held-out RMSE (bins): {before.rmse_bins:.4f} now -> {after.rmse_bins:.4f} fitted")
    if dry_run:
        click.echo("Dry run: nothing saved.")
    elif done.saved:
        click.echo(f"Saved the fitted parameters to {done.settings_path} (review.fsrs_parameters).")
    else:
        click.echo("Kept the current parameters: the fitted ones do not predict the held-out reviews better.")

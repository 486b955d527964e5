"""Everything a lab's check.py needs, in one import:

    from studyctl.labkit.api import Check, assert_close, fail, grad_check, hidden_cases

    check = Check()

    @check.step("shapes")
    def shapes(ctx):
        mine = ctx.learner("tensors.py")
        x = torch.randn(2, 3, 4, 4, device=ctx.device)
        assert_close(mine.flatten_images(x), x.reshape(2, -1), name="flatten_images(x)")

See labs/README.md for the whole protocol. Nothing here imports torch until it is used.
"""

from studyctl.labkit.asserts import assert_close, assert_shape, grad_check, numeric_grad, rel_error
from studyctl.labkit.seeding import Case, hidden_cases, seed_everything
from studyctl.labkit.steps import Check, CheckFailed, StepContext, StepSkipped, fail, skip

__all__ = [
    "Case",  # i18n: not shown (a name)
    "Check",  # i18n: not shown (a name)
    "CheckFailed",  # i18n: not shown (a name)
    "StepContext",  # i18n: not shown (a name)
    "StepSkipped",  # i18n: not shown (a name)
    "assert_close",
    "assert_shape",
    "fail",
    "grad_check",
    "hidden_cases",
    "numeric_grad",
    "rel_error",
    "seed_everything",
    "skip",
]

"""The char-rnn-names lab, beyond what every lab gets (tests/test_labkit_labs.py): its messages
name the likely cause, and a correct model that does not pack (it picks each name's last real
step from the padded output) passes the same steps."""

from __future__ import annotations

import pytest
from lab_helpers import judge, repo_lab

from studyctl.labkit.result import PASS

NO_TRAINING = (
    "    device = next(model.parameters()).device\n",
    "    raise RuntimeError('skip: keeps the test fast')\n",
)


@pytest.fixture(scope="module")
def lab():
    return repo_lab("char-rnn-names")


def test_mistake_messages_name_the_cause(lab, tmp_path):
    lower = judge(lab, tmp_path / "a", "lowercase-vocab").step("vocab").message
    assert "missing: 'ABDJLOZ'" in lower and "Upper and lower case are different characters" in lower
    last = judge(lab, tmp_path / "b", "padded-last-step").step("last-step").message
    assert "'Li' (2 characters)" in last and "padded to 11" in last and "pack_padded_sequence" in last
    state = judge(lab, tmp_path / "c", "stateful-hidden").step("fresh-state").message
    assert "called twice" in state and "without h0" in state


def test_picking_the_last_real_step_without_packing_passes(lab, tmp_path):
    packed = (
        "        packed = pack_padded_sequence(self.embed(padded), lengths.cpu(), batch_first=True, "
        "enforce_sorted=False)\n"
        "        _, last = self.rnn(packed)  # (1, B, hidden): the state after each name's own last character\n"
        "        return self.out(last[-1])\n"
    )
    gathered = (
        "        output, _ = self.rnn(self.embed(padded))  # (B, T, hidden)\n"
        "        rows = torch.arange(len(padded), device=padded.device)\n"
        "        return self.out(output[rows, lengths.to(padded.device) - 1])\n"
    )
    result = judge(lab, tmp_path, replace=[(packed, gathered), NO_TRAINING])
    statuses = {s.name: s.status for s in result.steps}
    assert all(statuses[n] == PASS for n in ("vocab", "encoding", "model-shapes", "fresh-state", "last-step"))

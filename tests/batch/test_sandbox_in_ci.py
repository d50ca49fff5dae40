"""In CI the strict sandbox must really be tested, not skipped."""

import os

import pytest

from nntutor.core import sandbox


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises bubblewrap")
def test_ci_runs_the_strict_sandbox_tests() -> None:
    try:
        sandbox.self_test()
    except sandbox.SandboxUnavailable as exc:
        pytest.fail(f"CI installs bubblewrap, yet the sandbox is unavailable: {exc}")

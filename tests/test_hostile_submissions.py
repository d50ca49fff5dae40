"""Hostile submissions fail only what they break, in bounded time, leaving no process."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import (
    FAST,
    NUMPY_TRACK,
    assert_no_daemon_survived,
    by_id,
    daemon_starter,
    grade,
)


def _statuses(result) -> dict[str, str]:
    return {e.id: e.status for e in result.exercises}


def _only_broken(result, broken: str, status: str = "error") -> None:
    assert _statuses(result) == {k: status if k == broken else "passed" for k in NUMPY_TRACK}


def test_infinite_loop_is_stopped_by_the_timeout(with_code) -> None:
    started = time.monotonic()
    result = grade([with_code("def sigmoid(z):\n    while True:\n        pass\n")], limits=FAST)
    assert time.monotonic() - started < 30
    _only_broken(result, "sigmoid")
    first = by_id(result)["sigmoid"].checks[0]
    assert "did not finish within 3 s" in first.message
    assert "Not run" in by_id(result)["sigmoid"].checks[1].message


def test_sleeping_forever_is_stopped(with_code) -> None:
    code = "import time\ndef compute_loss(f_x, y):\n    time.sleep(1e6)\n"
    _only_broken(grade([with_code(code)], limits=FAST), "loss")


def test_memory_bomb_is_a_memory_error(with_code) -> None:
    code = (
        "def compute_loss(f_x, y):\n    import numpy as np\n"
        "    return np.ones((50000, 50000)).sum()\n"
    )
    result = grade([with_code(code)], limits=FAST)
    _only_broken(result, "loss")
    assert "out of memory" in by_id(result)["loss"].checks[0].message


def test_print_flood_with_escape_codes_is_capped_and_sanitised(with_code) -> None:
    code = (
        "def compute_cost(X, y, w, b, *argv):\n"
        "    for i in range(200000):\n"
        "        print('\\x1b]0;pwned\\x07\\x1b[31mflood\\x1b[0m', i)\n"
        "    raise ValueError('after the flood')\n"
    )
    started = time.monotonic()
    result = grade([with_code(code)], limits=FAST)
    assert time.monotonic() - started < 30
    _only_broken(result, "cost")
    output = by_id(result)["cost"].checks[0].details["output"]
    assert "flood 0" in output and "more characters not shown" in output
    assert "\x1b" not in output and "\x07" not in output
    assert len(output) < 6000


def test_exit_at_top_level_is_left_out_and_noted(with_code) -> None:
    result = grade([with_code("import sys\nsys.exit(0)\n")], limits=FAST)
    assert set(_statuses(result).values()) == {"passed"}
    assert any("sys.exit" in note for note in result.notes)


@pytest.mark.parametrize("exit_call", ["sys.exit(0)", "os._exit(0)"])
def test_exit_while_loading_is_a_failure_never_a_pass(with_code, exit_call: str) -> None:
    # A default argument runs when the def runs, so the loader cannot leave it out.
    code = f"import os, sys\ndef helper(x={exit_call}):\n    return x\n"
    result = grade([with_code(code)], limits=FAST)
    assert set(_statuses(result).values()) == {"error"}
    assert result.score == 0
    assert exit_call.split("(")[0].split(".")[-1] in result.exercises[0].message


def test_os_exit_in_a_call_fails_that_exercise_only(with_code) -> None:
    result = grade(
        [with_code("def predict(X, w, b):\n    import os\n    os._exit(0)\n")], limits=FAST
    )
    _only_broken(result, "predict")
    assert "exited with code 0" in by_id(result)["predict"].checks[0].message


def test_sys_exit_in_a_call_is_a_failure(with_code) -> None:
    result = grade([with_code("def predict(X, w, b):\n    raise SystemExit(0)\n")], limits=FAST)
    _only_broken(result, "predict")
    assert "ended the program" in by_id(result)["predict"].checks[0].message


@pytest.mark.parametrize(
    "becomes",
    ["time.sleep(1000)", "os.execve('/bin/sleep', ['sleep', '1000'], {})"],
    ids=["sleeps", "drops_its_environment"],
)
def test_a_setsid_daemon_does_not_survive_grading(with_code, tmp_path: Path, becomes: str) -> None:
    daemons = tmp_path / "daemons"
    daemons.mkdir()
    code = daemon_starter("compute_model_output", "X, w, b", daemons, becomes)
    result = grade([with_code(code)], ["model_output"], limits=FAST)
    assert result.exercises[0].status == "passed"
    assert_no_daemon_survived(daemons, result.exercises[0])


@pytest.mark.parametrize(
    "the_copy_does", ["raise ValueError('in the copy')", "return X"], ids=["raises", "returns"]
)
def test_a_forked_copy_never_answers_for_the_child(with_code, the_copy_does: str) -> None:
    code = (
        "_correct = compute_model_output\n"
        "def compute_model_output(X, w, b):\n"
        "    import os, time\n"
        "    if os.fork() == 0:\n"
        f"        {the_copy_does}\n"
        "    time.sleep(0.05)  # the copy gets back to the pipes first\n"
        "    return _correct(X, w, b)\n"
    )
    result = grade([with_code(code)], ["model_output"], limits=FAST)
    assert [c.status for c in result.exercises[0].checks] == ["passed"] * 5


def test_monkeypatching_numpy_and_builtins_breaks_only_the_learners_code(with_code) -> None:
    code = (
        "def sigmoid(z):\n"
        "    import numpy, builtins\n"
        "    numpy.exp = lambda z: 0\n"
        "    numpy.array_equal = lambda *a, **k: True\n"
        "    builtins.isinstance = lambda *a: True\n"
        "    return 1 / (1 + numpy.exp(-z))\n"
        # Later exercises graded in the same child use np.exp without calling sigmoid.
        "def compute_model_output(X, w, b):\n"
        "    return 1 / (1 + np.exp(-(X @ w + b)))\n"
        "def predict(X, w, b):\n"
        "    return (1 / (1 + np.exp(-(X @ w + b))) >= 0.5).astype(int)\n"
    )
    result = grade([with_code(code)], limits=FAST)
    _only_broken(result, "sigmoid", status="failed")


def test_syntax_error_is_named_with_its_line(with_code) -> None:
    result = grade([with_code("def sigmoid(z)\n    return z\n")], limits=FAST)
    assert set(_statuses(result).values()) == {"error"}
    message = result.exercises[0].message
    assert "SyntaxError" in message and "line" in message and "def sigmoid(z)" in message


@pytest.mark.parametrize(
    ("code", "exercise", "expected"),
    [
        ("def compute_cost(X, y, w, b, *argv):\n    return {'J': 1}\n", "cost", "got a dict"),
        ("def compute_gradient(X, y, w, b, *argv):\n    return print(X)\n", "gradient", "None"),
        ("def predict(X, w, b):\n    return 'yes'\n", "predict", "got a str"),
        ("def sigmoid(z):\n    return [0.5]\n", "sigmoid", "got a list"),
    ],
)
def test_wrong_return_types_are_named(with_code, code: str, exercise: str, expected: str) -> None:
    result = grade([with_code(code)], limits=FAST)
    _only_broken(result, exercise, status="failed")
    assert expected in by_id(result)[exercise].checks[0].message


def test_mutating_inputs_is_detected(with_code) -> None:
    code = (
        "def gradient_descent(X, y, w_in, b_in, cost_function, gradient_function, alpha,\n"
        "                     num_iters, lambda_):\n"
        "    w, b, J = w_in, b_in, []\n"
        "    for i in range(num_iters):\n"
        "        dj_db, dj_dw = gradient_function(X, y, w, b, lambda_)\n"
        "        w -= alpha * dj_dw\n"
        "        b = b - alpha * dj_db\n"
        "        J.append(cost_function(X, y, w, b, lambda_))\n"
        "    return w, b, J, []\n"
    )
    result = by_id(grade([with_code(code)], ["gradient_descent"], limits=FAST))
    gd = result["gradient_descent"]
    mutation = [c for c in gd.checks if c.mistake == "mutates_inputs"]
    assert mutation and "w_in" in mutation[0].message
    assert gd.score == gd.max_score - mutation[0].max_score


def test_importing_the_reference_is_refused_with_a_clear_message(with_code) -> None:
    code = "from nntutor.reference.logistic import sigmoid\n"
    result = grade([with_code(code)], ["sigmoid"], limits=FAST)
    assert any("reference implementations stay with the grader" in n for n in result.notes)


def test_a_huge_return_value_is_described_not_sent(with_code) -> None:
    code = "def compute_loss(f_x, y):\n    import numpy as np\n    return np.zeros((3000, 3000))\n"
    result = by_id(grade([with_code(code)], ["loss"], limits=FAST))
    assert "too large to send" in result["loss"].checks[0].message


def test_deep_recursion_is_reported_briefly(with_code) -> None:
    result = by_id(
        grade([with_code("def sigmoid(z):\n    return sigmoid(z)\n")], ["sigmoid"], limits=FAST)
    )
    message = result["sigmoid"].checks[0].message
    assert "RecursionError" in message and "repeated" in message
    assert message.count("return sigmoid(z)") == 1


def test_a_crash_in_one_exercise_does_not_stop_the_others(with_code) -> None:
    code = (
        "def sigmoid(z):\n    import os, signal\n    os.kill(os.getpid(), signal.SIGSEGV)\n"
        "def predict(X, w, b):\n    while True:\n        pass\n"
    )
    result = grade([with_code(code)], limits=FAST)
    statuses = _statuses(result)
    assert statuses.pop("sigmoid") == "error" and statuses.pop("predict") == "error"
    assert set(statuses.values()) == {"passed"}
    assert "SIGSEGV" in by_id(result)["sigmoid"].checks[0].message


def test_tensorflow_is_not_loaded_for_numpy_exercises(with_code) -> None:
    code = "import tensorflow as tf\ndef sigmoid(z):\n    return tf.math.sigmoid(z)\n"
    result = by_id(grade([with_code(code)], ["sigmoid", "cost"], limits=FAST))
    assert result["cost"].status == "passed"
    assert "NumPy alone" in result["sigmoid"].checks[0].message


def test_stderr_output_is_never_a_failure(with_code) -> None:
    code = (
        "import sys\n_correct = sigmoid\n"
        "def sigmoid(z):\n    print('W tensorflow chatter', file=sys.stderr)\n"
        "    return _correct(z)\n"
    )
    result = by_id(grade([with_code(code)], ["sigmoid"], limits=FAST))
    assert result["sigmoid"].status == "passed"


def test_the_child_gets_a_clean_environment(with_code, monkeypatch) -> None:
    monkeypatch.setenv("NNTUTOR_TEST_SECRET", "grader-only")
    code = (
        "import os\n_correct = sigmoid\n"
        "def sigmoid(z):\n"
        "    assert 'NNTUTOR_TEST_SECRET' not in os.environ, 'leaked'\n"
        "    return _correct(z)\n"
    )
    assert by_id(grade([with_code(code)], ["sigmoid"], limits=FAST))["sigmoid"].status == ("passed")


def test_child_code_never_imports_answers() -> None:
    """The child side imports neither the references nor the grader's specs."""
    import ast

    import nntutor.child

    for path in Path(nntutor.child.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                )
                for name in names:
                    assert not name.startswith(("nntutor.reference", "nntutor.core")), path


def _harness_grab() -> str:
    return (
        "import gc\n"
        "def _h():\n"
        "    return [o for o in gc.get_objects() if type(o).__name__ == 'Harness'][0]\n"
    )


def test_the_grader_never_answers_for_the_function_being_graded(with_code) -> None:
    code = _harness_grab() + (
        "def compute_cost(X, y, w, b, *argv):\n"
        "    return _h().stand_in('compute_cost')(X, y, w, b)\n"
        "def sigmoid(z):\n"
        "    return _h().stand_in('sigmoid')(z)\n"
    )
    result = by_id(grade([with_code(code)], ["sigmoid", "cost"], limits=FAST))
    assert result["sigmoid"].score == 0 and result["cost"].score == 0
    assert "not one of the earlier steps" in result["cost"].checks[0].message


def test_a_stand_in_asked_for_a_huge_broadcast_is_refused(with_code) -> None:
    code = (
        "def compute_cost(X, y, w, b, *argv):\n"
        "    import numpy as np\n"
        "    return compute_loss(np.full((15000, 1), 0.5), np.ones(15000)).mean()\n"
    )
    started = time.monotonic()
    result = by_id(grade([with_code(code)], ["cost"], limits=FAST))
    assert time.monotonic() - started < 10
    assert "far larger than any check needs" in result["cost"].checks[0].message


@pytest.mark.parametrize(
    "reply",
    [
        '{"op":"result","id":1,"value":{"__ndarray__":"","dtype":"garbage","shape":[]}}',
        '{"op":"result","id":1,"value":{"__ndarray__":"!!","dtype":"<f8","shape":[-1,-2]}}',
        '{"op":"result","id":1,"value":1,"mutated":["x"]}',
        '{"op":"result","id":1,"value":1,"error":"not a record"}',
        '{"op":"result","id":99,"value":0.5}',
    ],
)
def test_forged_protocol_messages_end_only_that_child(with_code, reply: str) -> None:
    code = (
        "import os, sys, time\n"
        "def sigmoid(z):\n"
        f"    os.write(int(sys.argv[-1]), {reply!r}.encode() + b'\\n')\n"
        "    time.sleep(60)\n"
    )
    result = grade([with_code(code)], ["sigmoid", "cost"], limits=FAST)
    assert by_id(result)["sigmoid"].status == "error"
    assert "malformed data" in by_id(result)["sigmoid"].checks[0].message
    assert by_id(result)["cost"].status == "passed"


def test_a_child_that_stops_reading_cannot_hang_the_grader(with_code) -> None:
    code = (
        "import os, sys, time, json, base64\n"
        "import numpy as np\n"
        "def compute_cost(X, y, w, b, *argv):\n"
        "    data = base64.b64encode(np.zeros(200_000).tobytes()).decode()\n"
        "    arg = {'__ndarray__': data, 'dtype': '<f8', 'shape': [200000]}\n"
        "    message = {'op': 'ref', 'fn': 'sigmoid', 'args': [arg], 'kwargs': {}}\n"
        "    os.write(int(sys.argv[-1]), (json.dumps(message) + '\\n').encode())\n"
        "    time.sleep(3600)\n"
    )
    started = time.monotonic()
    # cost may ask for sigmoid: the 2 MB answer fills the pipe of a child that never reads.
    result = by_id(grade([with_code(code)], ["cost"], limits=FAST))
    assert time.monotonic() - started < 30
    assert result["cost"].status == "error"


def test_a_file_that_does_not_load_counts_out_of_the_full_points(with_code) -> None:
    broken = grade([with_code("def sigmoid(z)\n    return z\n")], limits=FAST)
    correct = grade([with_code("")], limits=FAST)
    assert broken.max_score == correct.max_score > 0


def test_a_submission_that_hangs_everywhere_costs_only_its_time_limit(with_code) -> None:
    hangs = "".join(
        f"def {name}(*args, **kwargs):\n    while True:\n        pass\n"
        for name in ("sigmoid", "compute_model_output", "compute_loss", "compute_cost")
    )
    # Each exercise's own limit is 3 s: the third and fourth are never started.
    result = grade(
        [with_code(hangs)], ["sigmoid", "model_output", "loss", "cost"], limits=FAST, time_limit=4
    )
    assert _statuses(result) == dict.fromkeys(["sigmoid", "model_output", "loss", "cost"], "error")
    assert "time limit of 4 s for all exercises together ran out" in str(
        by_id(result)["model_output"].checks[0].message
    )
    for later in ("loss", "cost"):
        assert "used up this submission's time limit of 4 s" in by_id(result)[later].message

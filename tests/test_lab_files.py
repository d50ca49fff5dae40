"""Lab files as learners keep them grade as they are (fixtures in tests/lab_files/).

Each fixture reproduces a pattern seen in learners' repositories; the expected verdicts are
the ones a careful human grader would give.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from nntutor.child import loader
from nntutor.core.grader import GradeOptions, grade_paths
from nntutor.core.names import near_misses
from nntutor.core.results import ExerciseResult, SubmissionResult
from nntutor.core.runner import ChildSession, Limits
from nntutor.core.stand_ins import call_stand_in

LAB_FILES = Path(__file__).parent / "lab_files"
NUMPY_TRACK = ["sigmoid", "model_output", "loss", "cost", "gradient", "gradient_descent", "predict"]


def grade(*paths: Path) -> SubmissionResult:
    return grade_paths([str(p) for p in paths], GradeOptions(exercises=NUMPY_TRACK))


def by_id(result: SubmissionResult) -> dict[str, ExerciseResult]:
    return {ex.id: ex for ex in result.exercises}


def statuses(result: SubmissionResult) -> dict[str, str]:
    return {ex.id: ex.status for ex in result.exercises}


def mistakes(ex: ExerciseResult) -> dict[str, str | None]:
    return {
        c.name: c.mistake
        for c in ex.checks
        if not c.passed and c.name != "leaves its inputs unchanged"
    }


def note_about(result: SubmissionResult, text: str) -> str:
    found = [n for n in result.notes if text in n]
    assert found, f"no note mentions {text!r}: {result.notes}"
    return found[0]


# -- whole files -----------------------------------------------------------------------
def test_nbconvert_export_grades_its_functions_and_runs_nothing_else(tmp_path: Path) -> None:
    lab = tmp_path / "C1_W3_Logistic_Regression.py"
    shutil.copy(LAB_FILES / "nbconvert_export.py", lab)

    result = grade(lab)

    # Had the top level run: a marker file, a load timeout (while True), or a dead child.
    assert not (tmp_path / "TOP_LEVEL_RAN").exists()
    assert result.output == ""
    assert statuses(result) == {
        "sigmoid": "passed",
        "model_output": "missing",
        "loss": "missing",
        "cost": "passed",
        "gradient": "passed",
        "gradient_descent": "passed",
        "predict": "failed",
    }
    # `f_wb > 0.5`: only the case with a probability of exactly 0.5 fails, and says why.
    assert mistakes(by_id(result)["predict"]) == {
        "a probability of exactly 0.5 predicts 1": "predict_strict_threshold"
    }
    assert "lines 18, 19" in note_about(result, "IPython magics")
    assert "lines 79, 121, 152" in note_about(result, "the lab's own tests")
    assert "line 26" in note_about(result, "data loading")
    assert "line 199" in note_about(result, "training runs")
    assert "os._exit(3)" in note_about(result, "end the program")
    assert "line 235" in note_about(result, "loops")
    imports = note_about(result, "skipped imports")
    assert "from utils import *" in imports and "from public_tests import *" in imports


def test_graded_cells_only_gets_numpy_math_copy_and_names_the_global_m() -> None:
    result = grade(LAB_FILES / "graded_cells_only.py")

    assert note_about(result, "never imports").endswith("copy, math, np (numpy)")
    assert statuses(result) == {
        "sigmoid": "passed",
        "model_output": "passed",
        "loss": "passed",
        "cost": "error",
        "gradient": "missing",
        "gradient_descent": "passed",
        "predict": "missing",
    }
    first = by_id(result)["cost"].checks[0]
    assert first.mistake == "undefined_name"
    assert "name 'm' is not defined" in first.message
    assert "m = X.shape[0]" in first.hint


def test_a_global_set_from_lab_data_is_traced_to_its_line(tmp_path: Path) -> None:
    lab = tmp_path / "lab.py"
    lab.write_text(
        "import numpy as np\n"
        "X_train, y_train = load_data('data/ex2data1.txt')\n"
        "m, n = X_train.shape\n"
        "def compute_cost(X, y, w, b, *argv):\n"
        "    f = 1 / (1 + np.exp(-(X @ w + b)))\n"
        "    return np.sum(-y * np.log(f) - (1 - y) * np.log(1 - f)) / m\n"
    )
    result = grade_paths([str(lab)], GradeOptions(exercises=["cost"]))

    check = result.exercises[0].checks[0]
    assert check.status == "error" and check.mistake == "undefined_name"
    assert "set only at the top level of your file (line 3 of lab.py" in check.message
    assert "line 3" in note_about(result, "assignments computed from data")


def test_a_folder_of_one_function_files_loads_into_one_namespace() -> None:
    folder = LAB_FILES / "one_function_per_file"
    result = grade(*(folder / f"exercise{i}.py" for i in range(1, 5)))

    assert statuses(result) == {
        "sigmoid": "passed",
        "model_output": "passed",
        "loss": "passed",
        "cost": "missing",
        "gradient": "missing",
        "gradient_descent": "missing",
        "predict": "passed",
    }
    assert "line 6 of exercise3.py" in note_about(result, "sigmoid is defined more than once")
    # `from exercise1 import sigmoid` names a file graded with it: not reported as missing.
    assert not [n for n in result.notes if "skipped imports" in n]
    assert note_about(result, "exercise2.py: left out (not run) the `if __name__")


def test_older_signatures_grade_as_the_same_exercises() -> None:
    result = grade(LAB_FILES / "old_signatures.py")

    graded = by_id(result)
    for exercise in ("cost", "gradient", "gradient_descent"):
        assert graded[exercise].status == "passed", graded[exercise].checks
    assert "compute_cost(X, y, w, b, lambda_)" in graded["cost"].notes[0]
    assert "lambda_ = 0" in graded["gradient"].notes[0]
    assert "short form" in graded["gradient_descent"].notes[0]


def test_optional_lab_names_grade_as_cost_and_gradient() -> None:
    result = grade(LAB_FILES / "optional_lab.py")

    graded = by_id(result)
    assert graded["cost"].status == "passed"
    assert graded["cost"].notes[0].startswith("graded your compute_cost_logistic()")
    assert graded["gradient"].status == "passed"
    assert "compute_gradient_logistic" in graded["gradient"].notes[0]
    # Its gradient_descent calls the _logistic helpers: nntutor's own stand in for them.
    assert graded["gradient_descent"].status == "passed"
    assert "compute_cost_logistic, compute_gradient_logistic" in graded["gradient_descent"].notes[1]
    assert "line 5" in note_about(result, "IPython magics")  # a raw %matplotlib line
    assert "lab_utils_common" in note_about(result, "skipped imports")


def test_optional_lab_helpers_from_a_missing_module_are_provided() -> None:
    result = grade_paths(
        [str(LAB_FILES / "optional_lab_helpers.py")], GradeOptions(exercises=["gradient_descent"])
    )

    (graded,) = result.exercises
    assert graded.status == "passed", graded.checks[0].message
    provided = [n for n in graded.notes if "does not define" in n]
    assert provided == [
        "Your file uses compute_cost_logistic(), compute_gradient_logistic() but does not "
        "define them: nntutor provided its own compute_cost(), compute_gradient() under "
        "those names."
    ]


def test_near_miss_names_are_missing_with_a_suggestion() -> None:
    result = grade(LAB_FILES / "near_misses.py")

    graded = by_id(result)
    assert set(statuses(result).values()) == {"missing"}
    assert "Did you mean sigmoid_function()?" in graded["sigmoid"].message
    assert "Did you mean computeCost() or compute_cost_reg()?" in graded["cost"].message
    # computeCost looks most like compute_cost, so it is not offered for compute_loss.
    assert graded["loss"].message == "compute_loss() is not defined in your file"


def test_mistakes_seen_in_the_wild_are_named() -> None:
    result = grade(LAB_FILES / "wild_mistakes.py")

    graded = by_id(result)
    sigmoid = mistakes(graded["sigmoid"])
    assert sigmoid.pop("large |z|: -1000, -30, 30, 1000 (no overflow, no nan)") == "math_overflow"
    assert set(sigmoid.values()) == {"returns_list"}
    assert mistakes(graded["loss"]) == {"written": "left_blank"}
    assert set(mistakes(graded["cost"]).values()) == {"cost_global_m"}
    assert set(mistakes(graded["gradient"]).values()) == {"gradient_order_swapped"}
    assert mistakes(graded["predict"]) == {
        "a probability of exactly 0.5 predicts 1": "predict_strict_threshold"
    }


def test_a_real_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    lab = tmp_path / "broken.py"
    lab.write_text("%matplotlib inline\nimport numpy as np\n\ndef sigmoid(z)\n    return z\n")
    result = grade_paths([str(lab)], GradeOptions(exercises=["sigmoid"]))

    ex = result.exercises[0]
    assert ex.status == "error"
    assert "SyntaxError" in ex.message and "(broken.py, line 4)" in ex.message
    assert "def sigmoid(z)" in ex.message


def test_exits_at_the_top_level_and_in_class_bodies_are_left_out(tmp_path: Path) -> None:
    lab = tmp_path / "lab.py"
    lab.write_text(
        "import os, sys\nimport numpy as np\nsys.exit(0)\n"
        "class Helper:\n    os._exit(1)\n    def f(self):\n        return 1\n"
        "exit()\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n"
    )
    result = grade_paths([str(lab)], GradeOptions(exercises=["sigmoid"]))

    assert result.exercises[0].status == "passed"
    assert "lines 3, 5, 8" in note_about(result, "calls that would end the program")


# -- the child's report ----------------------------------------------------------------
def ready_report(path: Path) -> dict:
    with ChildSession([str(path)], reference=call_stand_in, limits=Limits()) as session:
        return session.ready


def test_a_blank_starter_is_reported_as_blank() -> None:
    functions = ready_report(LAB_FILES / "wild_mistakes.py")["functions"]

    assert functions["my_dense_v"]["blank"] is True  # `return(A_out)`, A_out never set
    assert functions["compute_loss"]["blank"] is True  # `pass`
    assert functions["compute_cost"]["blank"] is False


def test_a_top_level_keras_model_becomes_build_and_compile_functions() -> None:
    # The NumPy-kind child: TensorFlow is a placeholder, so this never imports it.
    ready = ready_report(LAB_FILES / "keras_toplevel.py")

    assert ready["error"] is None
    build, compile_ = ready["functions"]["build_model"], ready["functions"]["compile_model"]
    assert build["variant"] == {
        "kind": "toplevel",
        "input_size": 400,
        "note": "built from the top-level `model = Sequential(...)` at line 27 of "
        "keras_toplevel.py",
    }
    assert [p["name"] for p in build["params"]] == ["n_features"]
    assert [p["name"] for p in compile_["params"]] == ["model"]
    assert "line 49" in compile_["variant"]["note"]
    notes = "\n".join(ready["notes"])
    assert "fit on lab data is not run" in notes
    assert "training runs: line 54" in notes
    assert "line 27" not in notes.split("graded your")[0]  # graded, not listed as left out


@pytest.mark.slow
@pytest.mark.parametrize("with_imports", [True, False])
def test_the_synthesised_functions_build_and_compile_the_learners_model(
    tmp_path: Path, with_imports: bool
) -> None:
    lab = tmp_path / "lab.py"
    model = (LAB_FILES / "keras_toplevel.py").read_text()
    if not with_imports:  # graded cells only: tf, Sequential, Dense are provided, for real
        model = (
            "X, y = load_data()\n"
            "opt = Adam(learning_rate=0.001)\n"
            "model = Sequential([tf.keras.Input(shape=(400,)), Dense(25, name='layer1'),\n"
            "    Dense(15, name='layer2'), Dense(1, activation='sigmoid', name='layer3')])\n"
            "model.compile(loss=BinaryCrossentropy(), optimizer=opt)\n"
            "model.fit(X, y, epochs=20)\n"
        )
    # A probe appended to the learner's file, calling what the loader synthesised.
    lab.write_text(
        model + "\n\ndef probe(n):\n    model = compile_model(build_model(n))\n"
        "    return [layer.name for layer in model.layers], model.input_shape[-1], "
        "type(model.loss).__name__\n"
    )
    limits = Limits(call_timeout=120.0, load_timeout=60.0, data_mib=3072)
    with ChildSession([str(lab)], reference=call_stand_in, limits=limits, stub_modules=()) as s:
        outcome = s.call("probe", [400])
    assert outcome.error is None, outcome.error
    assert list(outcome.value) == [["layer1", "layer2", "layer3"], 400, "BinaryCrossentropy"]


# -- the loader's parts ------------------------------------------------------------------
def plan_of(source: str) -> loader.Plan:
    tree, magics = loader.parse_forgiving(source, "lab.py")
    plan = loader.plan_module(tree, source, "lab.py")
    plan.skipped += magics
    return plan


def test_only_lines_that_break_parsing_are_treated_as_magics() -> None:
    source = (
        "text = '''\n%not a magic, inside a string\n'''\n"
        "x = (10\n     % 3)\n"
        "%time y = 1\n"
        "def f():\n    !ls\n    return 1\n"
        "# %matplotlib inline  (the notebook reader comments magics out)\n"
    )
    plan = plan_of(source)
    assert [(s.line, s.category) for s in plan.skipped] == [(6, loader.MAGIC), (8, loader.MAGIC)]
    assert [type(s).__name__ for s in plan.kept] == ["Assign", "Assign", "FunctionDef"]


@pytest.mark.parametrize(
    ("statement", "kept"),
    [
        ("alpha = 0.01", True),
        ("layers = [25, 15, 1]", True),
        ("eps = 1e-3 * 2 ** -4", True),
        ("PI = np.pi", True),
        ("f = lambda z: 1 / (1 + np.exp(-z))", True),
        ("compute_cost = compute_cost_logistic", True),
        ("X_train, y_train = load_data('data/ex2data1.txt')", False),
        ("m = len(y_train)", False),
        ("w = np.zeros(2)", False),
        ("grid[0] = 1", False),
        ("count += 1", False),
    ],
)
def test_which_assignments_are_simple_constants(statement: str, kept: bool) -> None:
    assert bool(plan_of(statement).kept) is kept


@pytest.mark.parametrize(
    ("statement", "category"),
    [
        ("compute_cost_test(compute_cost)", loader.TESTS),
        ("public_tests.sigmoid_test(sigmoid)", loader.TESTS),
        ("X, y = load_data()", loader.DATA),
        ("data = np.loadtxt('ex2data1.txt', delimiter=',')", loader.DATA),
        ("history = model.fit(X, y, epochs=20)", loader.TRAINING),
        ("plt.scatter(X[:, 0], X[:, 1])", loader.PLOTS),
        ("plot_decision_boundary(w, b, X, y)", loader.PLOTS),
        ("print(sigmoid(0))", loader.PRINTING),
        ("sys.exit(0)", loader.EXITS),
        ("get_ipython().run_line_magic('matplotlib', 'inline')", loader.MAGIC),
        ("np.random.seed(1)", loader.CALLS),
        ("w = np.zeros(2)", loader.COMPUTED),
        ("for i in range(10):\n    w = gradient_descent(X, y, w)", loader.TRAINING),
        ("if __name__ == '__main__':\n    main()", loader.MAIN),
        ("with open('f') as h:\n    h.read()", loader.BLOCKS),
    ],
)
def test_left_out_statements_are_sorted_by_reason(statement: str, category: str) -> None:
    assert [s.category for s in plan_of(statement).skipped] == [category]


def test_notes_group_lines_and_cap_the_list() -> None:
    plan = plan_of("".join(f"print({i})\n" for i in range(12)) + "compute_cost_test(f)\n")
    notes = loader.skipped_notes("lab.py", plan.skipped)
    assert notes == [
        "lab.py: left out (not run) the lab's own tests: line 13, e.g. `compute_cost_test(f)`",
        "lab.py: left out (not run) printing: lines 1, 2, 3, 4, 5, 6, 7, 8 and 4 more, "
        "e.g. `print(0)`",
    ]


@pytest.mark.parametrize(
    ("body", "blank"),
    [
        ("pass", True),
        ('"""Docs."""\n    return None', True),
        ("A_out = None\n    return A_out", True),
        ("return(A_out)", True),
        ("return A_in", False),
        ("return g(A_in @ W + b)", False),
    ],
)
def test_blank_starters(body: str, blank: bool) -> None:
    function = ast.parse(f"def my_dense_v(A_in, W, b, g):\n    {body}\n").body[0]
    assert isinstance(function, ast.FunctionDef)
    assert loader.is_blank(function) is blank


@pytest.mark.parametrize(
    ("model", "size"),
    [
        ("Sequential([tf.keras.Input(shape=(400,)), Dense(1)])", 400),
        ("tf.keras.models.Sequential([Dense(25, input_shape=(2,)), Dense(1)])", 2),
        ("keras.Sequential([Dense(25, input_dim=3)])", 3),
        ("Sequential([Dense(25), Dense(1)])", None),
        ("Sequential([Input(shape=(n_features,)), Dense(1)])", None),
    ],
)
def test_input_size_of_a_top_level_model(model: str, size: int | None) -> None:
    plan = plan_of(f"model = {model}\nmodel.fit(X, y)\n")
    assert plan.variants["build_model"]["input_size"] == size
    assert "compile_model" not in plan.variants
    assert [s.category for s in plan.skipped] == [loader.TRAINING]


def test_layers_and_optimiser_set_at_top_level_go_into_the_functions() -> None:
    plan = plan_of(
        "X, y = load_data()\n"
        "hidden = Dense(25, activation='sigmoid')\n"
        "model = Sequential([Dense(3)])\n"
        "opt = tf.keras.optimizers.Adam(learning_rate=0.001)\n"
        "model = Sequential([Input(shape=(400,)), hidden, Dense(1)])\n"
        "model.compile(optimizer=opt, loss=BinaryCrossentropy())\n"
    )
    build, compile_ = plan.kept
    assert isinstance(build, ast.FunctionDef) and isinstance(compile_, ast.FunctionDef)
    assert [s.lineno for s in build.body] == [2, 5]  # `hidden = ...`, then the model
    assert [s.lineno for s in compile_.body] == [4, 6, 6]  # `opt = ...`, compile, return
    # Left out: the data and the first model; the rest is graded through the functions.
    assert [s.line for s in plan.skipped] == [1, 3]


def test_a_defined_build_model_is_left_alone() -> None:
    plan = plan_of(
        "def build_model(n_features):\n    return Sequential([Dense(1)])\n"
        "model = Sequential([Dense(1)])\nmodel.compile(loss='mse')\n"
    )
    assert plan.variants == {}
    assert [type(s).__name__ for s in plan.kept] == ["FunctionDef"]


def test_compile_belongs_to_the_last_model_built() -> None:
    plan = plan_of(
        "model = Sequential([Dense(3)])\nmodel.compile(loss='mse')\n"
        "model = Sequential([Dense(25), Dense(1)])\nmodel.compile(loss=BinaryCrossentropy())\n"
    )
    assert "line 3" in plan.variants["build_model"]["note"]
    assert "line 4" in plan.variants["compile_model"]["note"]


def test_missing_names_are_only_the_known_unimported_ones() -> None:
    plan = plan_of(
        "import copy\ndef f(X):\n    return np.sum(math.exp(copy.copy(X)), axis=undefined_thing)\n"
    )
    assert loader.missing_names(plan.kept, {}) == ["math", "np"]
    assert loader.missing_names(plan.kept, {"np": object()}) == ["math"]


def test_near_misses_prefer_the_closest_exercise() -> None:
    functions = ["sigmoid", "compute_cost", "compute_loss", "predict"]
    taken = set(functions)
    learner = ["sigmoid_function", "computeCost", "compute_cost_test", "test_predict", "helper"]
    assert near_misses("sigmoid", learner, functions, taken) == ["sigmoid_function"]
    assert near_misses("compute_cost", learner, functions, taken) == ["computeCost"]
    assert near_misses("compute_loss", learner, functions, taken) == []
    assert near_misses("predict", learner, functions, taken) == []

"""The forgiving loader: takes the definitions out of a lab file and runs nothing else.

Learners' files are notebooks exported as scripts: magics, imports of the lab's helper
modules, data loading, the lab's tests, plots and training runs around the functions. This
module reads a file as a syntax tree and keeps only what defines something — imports (each
one allowed to fail), function and class definitions, and simple constant assignments —
and notes, by line, what it left out and why. Names used but never imported (``np``,
``math``) are provided. A top-level ``model = Sequential([...])`` and its ``compile`` call
become ``build_model`` / ``compile_model`` functions, so the Keras exercises can grade them.
It runs in the child, like the learner's code.
"""

from __future__ import annotations

import ast
import builtins
import copy
import importlib
import os
import re
from dataclasses import dataclass, field
from typing import Any

MAX_MAGIC_LINES = 500
MAX_LINES_LISTED = 8
# Lines a notebook runs through IPython, not Python: `%matplotlib inline`, `!pip install`.
_MAGIC = re.compile(r"^\s*(%|!(?!=))")

# Names learners use without importing them (an earlier cell or a helper's `import *` did):
# name -> (module, attribute path inside it or "", how the note shows it).
PROVIDED_NAMES: dict[str, tuple[str, str, str]] = {
    "np": ("numpy", "", "numpy"),
    "numpy": ("numpy", "", "numpy"),
    "math": ("math", "", "math"),
    "copy": ("copy", "", "copy"),
    "tf": ("tensorflow", "", "tensorflow"),
    "keras": ("tensorflow", "keras", "tf.keras"),
    "Sequential": ("tensorflow", "keras.Sequential", "tf.keras.Sequential"),
    "Dense": ("tensorflow", "keras.layers.Dense", "tf.keras.layers.Dense"),
    "Input": ("tensorflow", "keras.Input", "tf.keras.Input"),
    "BinaryCrossentropy": (
        "tensorflow",
        "keras.losses.BinaryCrossentropy",
        "tf.keras.losses.BinaryCrossentropy",
    ),
    "Adam": ("tensorflow", "keras.optimizers.Adam", "tf.keras.optimizers.Adam"),
}

# Why a top-level statement was left out, in the order the notes list them.
CATEGORY_ORDER = (
    "IPython magics and shell commands",
    "calls that would end the program",
    "the lab's own tests",
    "data loading",
    "training runs",
    "plots",
    "printing",
    'the `if __name__ == "__main__":` block',
    "other calls",
    "assignments computed from data or calls",
    "loops and other blocks",
)
MAGIC, EXITS, TESTS, DATA, TRAINING, PLOTS, PRINTING, MAIN, CALLS, COMPUTED, BLOCKS = CATEGORY_ORDER

_EXIT_CALLS = {"exit", "quit", "sys.exit", "os._exit", "os.abort", "os.kill", "os.killpg"}
_PRINT_CALLS = {"print", "display", "pprint", "pprint.pprint"}
_PLOT_ROOTS = {"plt", "matplotlib", "sns", "seaborn", "fig", "ax", "axes", "widgvis", "plotly"}
_SEQUENTIAL = {"Sequential", "keras.Sequential", "models.Sequential"}


@dataclass
class Skipped:
    """A top-level statement left out, with the reason it was left out."""

    line: int
    category: str
    text: str
    # Names the statement would have set (X_train, m): a NameError on one is explained.
    names: tuple[str, ...] = ()


@dataclass
class Plan:
    """What to run from one file: the kept statements, in order, and what was left out."""

    kept: list[ast.stmt] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Extra facts the grader learns about functions: "variant" of a synthesised function.
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------
def parse_forgiving(source: str, filename: str) -> tuple[ast.Module, list[Skipped]]:
    """Parse ``source``, turning the magic lines that break parsing into ``pass``.

    Only a line that actually stops the parse is touched, so a ``%`` inside a string or an
    expression that spans lines is never rewritten. A real syntax error is raised as is.
    """
    lines = source.splitlines(keepends=True)
    magics: list[Skipped] = []
    for _ in range(MAX_MAGIC_LINES):
        try:
            return ast.parse("".join(lines), filename), magics
        except SyntaxError as exc:
            index = (exc.lineno or 0) - 1
            if not 0 <= index < len(lines) or not _MAGIC.match(lines[index]):
                raise
            line = lines[index]
            indent = line[: len(line) - len(line.lstrip())]
            magics.append(Skipped(index + 1, MAGIC, line.strip()))
            lines[index] = f"{indent}pass\n"
    raise SyntaxError(f"more than {MAX_MAGIC_LINES} IPython magic lines", (filename, 1, 0, ""))


# -- planning --------------------------------------------------------------------------
def dotted(node: ast.AST) -> str:
    """``np.random.seed`` for the expression naming a called function; "" if not a name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    if isinstance(node, ast.Call):  # get_ipython().run_line_magic(...)
        inner = dotted(node.func)
        return f"{inner}()" if inner else ""
    return ""


def _call_category(name: str) -> str:
    last = name.rsplit(".", 1)[-1].lower()
    root = name.split(".", 1)[0]
    if name.startswith("get_ipython()"):
        return MAGIC
    if name in _EXIT_CALLS:
        return EXITS
    if root in ("public_tests", "unittest", "test_utils") or last.endswith("_test"):
        return TESTS
    if last.startswith("test"):
        return TESTS
    if "load" in last or last.startswith("read_") or last in ("genfromtxt", "fromfile"):
        return DATA
    if last in ("fit", "train", "train_on_batch") or "gradient_descent" in last:
        return TRAINING
    if root in _PLOT_ROOTS or "plot" in last or last in ("show", "imshow", "figure", "scatter"):
        return PLOTS
    if name in _PRINT_CALLS:
        return PRINTING
    return CALLS


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def category_of(stmt: ast.stmt) -> str:
    """Why a statement that defines nothing is left out, for the notes."""
    if isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
        return MAIN
    if isinstance(stmt, ast.Expr | ast.Assign | ast.AugAssign | ast.AnnAssign):
        call = next((n for n in ast.walk(stmt) if isinstance(n, ast.Call)), None)
        category = CALLS if call is None else _call_category(dotted(call.func))
        # `m = len(y_train)`: a value computed from the lab's data, not a call of interest.
        return COMPUTED if category == CALLS and not isinstance(stmt, ast.Expr) else category
    # A loop or block may hold a training run or the lab's tests: name the first call.
    calls = [_call_category(dotted(n.func)) for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    for category in (EXITS, TRAINING, TESTS, DATA, PLOTS):
        if category in calls:
            return category
    return BLOCKS


_SIMPLE_VALUES = (
    ast.Constant,
    ast.Name,
    ast.Load,
    ast.UnaryOp,
    ast.BinOp,
    ast.operator,
    ast.unaryop,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.Attribute,  # np.pi, math.e: attributes of names, never calls
)


def is_simple_value(node: ast.expr) -> bool:
    """Literals, names, attributes of names and arithmetic of those; a lambda too."""
    if isinstance(node, ast.Lambda):
        return True
    return all(isinstance(n, _SIMPLE_VALUES) for n in ast.walk(node))


def _is_constant_assignment(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assign):
        targets: list[ast.expr] = list(stmt.targets)
        value: ast.expr | None = stmt.value
    elif isinstance(stmt, ast.AnnAssign):
        targets, value = [stmt.target], stmt.value
    else:
        return False
    names_only = all(
        isinstance(n, ast.Name | ast.Tuple | ast.List | ast.Store)
        for t in targets
        for n in ast.walk(t)
    )
    return names_only and value is not None and is_simple_value(value)


def _is_docstring_or_pass(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Pass | ast.Global | ast.Nonlocal):
        return True
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def stored_names(stmt: ast.stmt) -> tuple[str, ...]:
    """The names a statement sets, in order (``X_train, y_train = load_data(...)``)."""
    stored = (
        n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    )
    return tuple(dict.fromkeys(stored))


def plan_body(body: list[ast.stmt], plan: Plan, lines: list[str]) -> list[ast.stmt]:
    """The statements of a module or class body worth running; the rest go to ``plan``."""
    kept = []
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            stmt.body = plan_body(stmt.body, plan, lines) or [ast.Pass()]
            ast.fix_missing_locations(stmt)
            kept.append(stmt)
        elif isinstance(
            stmt, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef
        ) or _is_constant_assignment(stmt):
            kept.append(stmt)
        elif not _is_docstring_or_pass(stmt):
            text = lines[stmt.lineno - 1].strip() if stmt.lineno <= len(lines) else ""
            plan.skipped.append(Skipped(stmt.lineno, category_of(stmt), text, stored_names(stmt)))
    return kept


def plan_module(tree: ast.Module, source: str, filename: str) -> Plan:
    """Decide what of one parsed file runs, synthesising Keras functions where needed."""
    plan = Plan()
    lines = source.splitlines()
    plan.kept = plan_body(tree.body, plan, lines)
    synthesise_keras(tree, plan, filename)
    return plan


# -- the top-level Keras model ------------------------------------------------------------
def _is_sequential_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = dotted(node.func)
    return name in _SEQUENTIAL or name.endswith(".Sequential")


def _input_size(call: ast.Call) -> int | None:
    """N from ``Input(shape=(N,))`` or the first layer's ``input_shape=(N,)``, if literal."""
    for node in ast.walk(call):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in ("shape", "input_shape", "input_dim"):
                try:
                    value = ast.literal_eval(keyword.value)
                except ValueError:
                    return None
                if isinstance(value, int):
                    return value
                if isinstance(value, tuple) and len(value) == 1 and isinstance(value[0], int):
                    return value[0]
                return None
    return None


def _function(name: str, param: str, body: list[ast.stmt], where: ast.stmt) -> ast.FunctionDef:
    """A function whose statements keep the learner's line numbers (for tracebacks)."""
    arguments = ast.arguments(
        posonlyargs=[], args=[ast.arg(param)], kwonlyargs=[], kw_defaults=[], defaults=[]
    )
    node = ast.FunctionDef(name, arguments, body, [], None, type_params=[])
    for part in body:
        if not hasattr(part, "lineno"):  # new statements; a copied one keeps its own line
            ast.copy_location(part, where)
    return ast.fix_missing_locations(ast.copy_location(node, where))


def _model_assignment(stmt: ast.stmt) -> tuple[str, ast.Call] | None:
    if (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
        and _is_sequential_call(stmt.value)
    ):
        assert isinstance(stmt.value, ast.Call)
        return stmt.targets[0].id, stmt.value
    return None


def _compile_call(stmt: ast.stmt, variable: str) -> ast.Call | None:
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return None
    func = stmt.value.func
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "compile"
        and isinstance(func.value, ast.Name)
        and func.value.id == variable
    ):
        return stmt.value
    return None


def _find_compile(body: list[ast.stmt], variable: str) -> tuple[ast.stmt, ast.Call] | None:
    """The first ``variable.compile(...)`` statement, before ``variable`` is reassigned."""
    for stmt in body:
        assigned = _model_assignment(stmt)
        if assigned is not None and assigned[0] == variable:
            return None
        call = _compile_call(stmt, variable)
        if call is not None:
            return stmt, call
    return None


def _dependencies(expr: ast.expr, earlier: list[ast.stmt], given: str = "") -> list[ast.Assign]:
    """Top-level assignments left out that ``expr`` needs, in order: `opt = Adam(0.001)`,
    `layer_1 = Dense(25)`. Never data loading, training or the lab's tests, nor ``given``
    (the function's parameter)."""
    needed = {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)} - {given}
    picked: list[ast.Assign] = []
    for stmt in reversed(earlier):
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id in needed
            and category_of(stmt) == COMPUTED
        ):
            needed.discard(stmt.targets[0].id)
            needed |= {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
            picked.insert(0, copy.deepcopy(stmt))
    return picked


def synthesise_keras(tree: ast.Module, plan: Plan, filename: str) -> None:
    """``build_model`` / ``compile_model`` from a top-level ``model = Sequential([...])``.

    Only when the file defines no such function. The last top-level Sequential assignment
    is the model (labs build a small one first); its ``compile`` call is the first one on
    the same variable after it. Neither the assignment nor the ``fit`` is run at load.
    """
    defined = {s.name for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    found = [(i, m) for i, s in enumerate(tree.body) if (m := _model_assignment(s))]
    if not found or "build_model" in defined:
        return
    index, (variable, call) = found[-1]
    assignment = tree.body[index]
    base = os.path.basename(filename)
    build_deps = _dependencies(call, tree.body[:index])
    body: list[ast.stmt] = [*build_deps, ast.Return(copy.deepcopy(call))]
    plan.kept.append(_function("build_model", "n_features", body, assignment))
    where = f"line {assignment.lineno} of {base}"
    plan.variants["build_model"] = {
        "kind": "toplevel",
        "input_size": _input_size(call),
        "note": f"built from the top-level `{variable} = Sequential(...)` at {where}",
    }
    made = [f"`{variable} = Sequential(...)` (line {assignment.lineno}) as build_model"]
    used = {assignment.lineno, *(d.lineno for d in build_deps)}
    compiled = (
        None if "compile_model" in defined else _find_compile(tree.body[index + 1 :], variable)
    )
    if compiled is not None:
        stmt, compile_call = compiled
        compile_deps = _dependencies(compile_call, tree.body[: tree.body.index(stmt)], variable)
        body = [
            *compile_deps,
            ast.Expr(copy.deepcopy(compile_call)),
            ast.Return(ast.Name(variable, ast.Load())),
        ]
        plan.kept.append(_function("compile_model", variable, body, stmt))
        plan.variants["compile_model"] = {
            "kind": "toplevel",
            "note": f"built from the top-level `{variable}.compile(...)` at line {stmt.lineno} "
            f"of {base}",
        }
        made.append(f"`{variable}.compile(...)` (line {stmt.lineno}) as compile_model")
        used |= {stmt.lineno, *(d.lineno for d in compile_deps)}
    # These statements are graded through the functions, not listed as left out.
    plan.skipped = [s for s in plan.skipped if s.line not in used]
    plan.notes.append(
        f"{base}: graded your top-level {' and '.join(made)}; the model is built fresh for "
        "grading, and the file's own fit on lab data is not run."
    )


# -- names used but never imported --------------------------------------------------------
def _bound_and_loaded(nodes: list[ast.stmt]) -> tuple[set[str], set[str]]:
    bound, loaded = set(), set()
    for stmt in nodes:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name):
                (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                bound.add(node.name)
            elif isinstance(node, ast.alias):
                bound.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            elif isinstance(node, ast.Global | ast.Nonlocal):
                bound.update(node.names)
    return bound, loaded


def missing_names(kept: list[ast.stmt], namespace: dict[str, Any]) -> list[str]:
    """Names the kept code reads, that nothing binds and that nntutor can provide."""
    bound, loaded = _bound_and_loaded(kept)
    return sorted(
        name
        for name in loaded - bound
        if name in PROVIDED_NAMES and name not in namespace and not hasattr(builtins, name)
    )


def resolve(name: str) -> Any:
    module_name, path, _ = PROVIDED_NAMES[name]
    value: Any = importlib.import_module(module_name)
    for part in filter(None, path.split(".")):
        value = getattr(value, part)
    return value


# -- blank functions -----------------------------------------------------------------------
def is_blank(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """True for a starter left as it was: only a docstring, ``pass``, ``x = None`` and a
    ``return`` of nothing, of None or of a name that is not a parameter (as nothing else is
    computed, that name is None or unset: the course's ``return(A_out)``)."""
    params = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    for stmt in function.body:
        if _is_docstring_or_pass(stmt):
            continue
        if (
            isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Constant)
            and stmt.value.value is None
            and all(isinstance(t, ast.Name) for t in stmt.targets)
        ):
            continue
        if isinstance(stmt, ast.Return):
            value = stmt.value
            if value is None or (isinstance(value, ast.Constant) and value.value is None):
                continue
            if isinstance(value, ast.Name) and value.id not in params:
                continue
        return False
    return True


# -- running -------------------------------------------------------------------------------
def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_LINES_LISTED])
    more = len(numbers) - MAX_LINES_LISTED
    word = "line" if len(numbers) == 1 else "lines"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def skipped_notes(base: str, skipped: list[Skipped]) -> list[str]:
    """One note per reason: which lines, with the first statement as an example."""
    by_category: dict[str, list[Skipped]] = {}
    for item in skipped:
        by_category.setdefault(item.category, []).append(item)
    notes = []
    for category in CATEGORY_ORDER:
        items = by_category.get(category)
        if items:
            items.sort(key=lambda s: s.line)
            notes.append(
                f"{base}: left out (not run) {category}: {_lines([s.line for s in items])}, "
                f"e.g. `{_short(items[0].text)}`"
            )
    return notes


class Loader:
    """Loads learner files into one namespace, statement by statement, never failing on the
    lab around the functions; collects the notes and facts the grader shows."""

    def __init__(self, namespace: dict[str, Any], paths: list[str]) -> None:
        self.namespace = namespace
        # exercise2.py's `from exercise1 import sigmoid`: the files share one namespace.
        self.own_modules = {os.path.splitext(os.path.basename(p))[0] for p in paths}
        self.notes: list[str] = []
        self.variants: dict[str, dict[str, Any]] = {}
        self.blank: set[str] = set()
        self.provided: set[str] = set()
        # Names only top-level code that was left out sets -> where, for NameErrors.
        self.left_out: dict[str, str] = {}
        self.defined_at: dict[str, str] = {}

    def load(self, path: str) -> None:
        """Load one file; a real syntax error is raised (with its line) for the caller."""
        with open(path, encoding="utf-8-sig") as handle:  # editors on Windows add a BOM
            source = handle.read()
        base = os.path.basename(path)
        tree, magics = parse_forgiving(source, path)
        plan = plan_module(tree, source, path)
        plan.skipped += magics
        provided = [
            name for name in missing_names(plan.kept, self.namespace) if self._provide(name)
        ]
        if provided:
            shown = ", ".join(
                name if PROVIDED_NAMES[name][2] == name else f"{name} ({PROVIDED_NAMES[name][2]})"
                for name in provided
            )
            self.notes.append(f"{base}: provided names your code uses but never imports: {shown}")
        failed_imports: list[str] = []
        for stmt in plan.kept:
            self._run(stmt, path, base, failed_imports, plan)
        if failed_imports:
            more = len(failed_imports) - MAX_LINES_LISTED
            self.notes.append(
                f"{base}: skipped imports that are not available here (lab helpers nntutor "
                f"does not need): {'; '.join(failed_imports[:MAX_LINES_LISTED])}"
                + (f"; and {more} more" if more > 0 else "")
            )
        self.notes += skipped_notes(base, plan.skipped) + plan.notes
        for item in plan.skipped:
            for name in item.names:
                self.left_out.setdefault(name, f"line {item.line} of {base}: `{_short(item.text)}`")
        self.variants.update(plan.variants)

    def _provide(self, name: str) -> bool:
        try:
            self.namespace[name] = resolve(name)
        except (ImportError, AttributeError):  # not installed here: the NameError will say
            return False
        self.provided.add(name)
        return True

    def _run(
        self, stmt: ast.stmt, path: str, base: str, failed_imports: list[str], plan: Plan
    ) -> None:
        code = compile(ast.Module([stmt], []), path, "exec", dont_inherit=True)
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            self._record_definition(stmt, base)
        # Exceptions only: an exit (SystemExit) from a decorator or default value ends the load.
        try:
            exec(code, self.namespace)
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            if self._imports_own_file(stmt):
                return
            if isinstance(stmt, ast.Import | ast.ImportFrom):  # a lab helper module
                failed_imports.append(f"line {stmt.lineno} `{ast.unparse(stmt)}` ({reason})")
            elif isinstance(stmt, ast.Assign | ast.AnnAssign):  # reads data that was left out
                text = ast.unparse(stmt).splitlines()[0]
                plan.skipped.append(Skipped(stmt.lineno, COMPUTED, text, stored_names(stmt)))
            else:  # a decorator or default value computed from something left out
                self.notes.append(
                    f"{base}: could not run line {stmt.lineno} "
                    f"`{_short(ast.unparse(stmt).splitlines()[0])}`: {reason}"
                )

    def _imports_own_file(self, stmt: ast.stmt) -> bool:
        if isinstance(stmt, ast.ImportFrom):
            return stmt.module in self.own_modules
        if isinstance(stmt, ast.Import):
            return all(alias.name in self.own_modules for alias in stmt.names)
        return False

    def _record_definition(
        self, stmt: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, base: str
    ) -> None:
        name = stmt.name
        where = f"line {stmt.lineno} of {base}"
        if name in self.defined_at and not isinstance(stmt, ast.ClassDef):
            self.notes.append(
                f"{name} is defined more than once ({self.defined_at[name]}, then {where}): "
                "the last definition is the one graded"
            )
        self.defined_at[name] = where
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            if is_blank(stmt):
                self.blank.add(name)
            else:
                self.blank.discard(name)


def explain_name_error(exc: BaseException, left_out: dict[str, str]) -> str | None:
    """Why a name is undefined: set only in top-level code that was not run, or nowhere."""
    name = getattr(exc, "name", None)
    if not isinstance(exc, NameError) or not name:
        return None
    if name in left_out:
        return (
            f"{name} is set only at the top level of your file ({left_out[name]}), in code "
            "nntutor does not run"
        )
    return f"{name} is set nowhere in the code nntutor runs (a global from another cell?)"

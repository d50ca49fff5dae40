"""Training curves: the learner's cost or loss beside the reference's, drawn with plotext.

The plot widget (and plotext) is imported when the first curve is drawn, so starting the
app does not pay for it.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from nntutor.core.results import CheckResult, Curve

NO_CURVE = (
    "No curve yet. gradient_descent draws its cost per step here, train_model its loss "
    "per epoch (live while Keras trains)."
)


def curve_advice(curve: Curve, checks: list[CheckResult]) -> str:
    """What the learner's curve says, in words: diverging, rising, flat, or on target."""
    learner = curve.learner
    mistakes = sorted(
        {str(c.details.get("mistake") or c.mistake) for c in checks if c.details.get("mistake")}
    )
    named = f" It looks like: {'; '.join(mistakes)}." if mistakes else ""
    bad = next((i for i, v in enumerate(learner) if not math.isfinite(v)), None)
    if bad is not None:
        return (
            f"Your {curve.label} became inf or nan at step {bad + 1}: the steps overshoot and "
            "blow up. Check that you use the alpha you are given (a too-large learning rate "
            f"diverges) and subtract the gradient.{named}"
        )
    if len(learner) > 1 and learner[-1] > learner[0]:
        return (
            f"Your {curve.label} goes UP: training is diverging. Either the update has the "
            "wrong sign (w + alpha·dj_dw climbs the cost) or the step is too large for this "
            f"problem (learning rate).{named}"
        )
    if learner and curve.reference and len(learner) == len(curve.reference):
        gap = max(abs(a - b) for a, b in zip(learner, curve.reference, strict=True))
        if gap <= 1e-6 * max(1.0, max(abs(v) for v in curve.reference)):
            return f"Your {curve.label} lies on the reference's: training works."
        return (
            f"Your {curve.label} goes down but not along the reference's (largest gap "
            f"{gap:.3g}).{named}"
        )
    return named.strip()


class CurvePanel(Vertical):
    """One plot with the learner's and the reference's curve, and a line of advice."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Losses of the training in progress, one per epoch reported so far.
        self.live: list[float] = []
        # The last epoch reported, and the number of epochs of that fit.
        self._epoch = 0
        self._epochs = 0
        self._label = "loss"

    def compose(self) -> ComposeResult:
        yield Static(NO_CURVE, id="curve-advice")

    def _plot(self):  # -> PlotextPlot, imported on first use
        from textual_plotext import PlotextPlot

        found = self.query(PlotextPlot)
        if found:
            return found.first()
        plot = PlotextPlot(id="plot")
        self.mount(plot, before=0)
        return plot

    def clear(self) -> None:
        self.live = []
        self._epoch = self._epochs = 0
        for plot in self.query("#plot"):
            plot.remove()
        self.query_one("#curve-advice", Static).update(NO_CURVE)

    def add_point(self, epoch: int, epochs: int, loss: float) -> None:
        """Epoch ``epoch`` (from 1) of ``epochs`` of live training ended with ``loss``."""
        # Grading fits once per case: an epoch count that starts again, or a fit of another
        # length, is a new fit and gets a curve of its own.
        if epoch <= self._epoch or epochs != self._epochs:
            self.live = []
        self.live.append(loss)
        self._epoch, self._epochs = epoch, epochs
        self._draw(Curve(self.live, [], "loss per epoch"), live=True)
        self.query_one("#curve-advice", Static).update(
            f"Training: epoch {epoch}/{epochs}, loss {loss:.4g}"
        )

    def show_curve(self, curve: Curve, advice: str) -> None:
        self.live = []
        self._draw(curve, live=False)
        self.query_one("#curve-advice", Static).update(Text(advice))

    def _draw(self, curve: Curve, live: bool) -> None:
        plot = self._plot()
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.title(curve.label)
        plt.xlabel("step" if "step" in curve.label else "epoch")
        if curve.reference:
            plt.plot(_xs(curve.reference), _finite(curve.reference), label="reference")
        learner = _finite(curve.learner)
        if learner:
            plt.plot(_xs(learner), learner, label="yours")
        if live and self._epochs:
            plt.xlim(1, max(self._epochs, len(self.live), 2))
        plot.refresh()


def _finite(values: list[float]) -> list[float]:
    """The values up to the first inf or nan (plotext cannot draw those)."""
    out = []
    for v in values:
        if not math.isfinite(v):
            break
        out.append(v)
    return out


def _xs(values: list[float]) -> list[int]:
    return list(range(1, len(values) + 1))

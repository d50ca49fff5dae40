"""Theme colours for text that must be read, pushed to WCAG contrast 4.5:1.

Textual's ``$text-success`` and friends are made for text on the theme's background, but on
the light theme they reach only about 3.5:1 (and less on a panel or a zebra stripe); the
block cursor's 87% text on the dark theme's blue reaches 3.8:1.
"""

from __future__ import annotations

from textual.color import BLACK, WHITE, Color, ColorParseError

READABLE = 4.5
# Aim above READABLE: DataTable's zebra stripes sit a few percent off the surface.
TARGET = 5.0
# Textual's own variable names, so its widgets (footer keys, lesson headings) are legible too,
# and the backgrounds text in those colours sits on in this app.
TEXT_COLOURS = (
    "text-success",
    "text-error",
    "text-warning",
    "text-accent",
    "footer-key-foreground",
    "markdown-h1-color",
    "markdown-h2-color",
    "markdown-h3-color",
)
BACKGROUNDS = ("background", "surface", "panel")


def luminance(colour: Color) -> float:
    """WCAG relative luminance of an opaque colour, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours: 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(colour: Color, backgrounds: list[Color], dark: bool) -> Color:
    """``colour`` blended towards white (dark themes) or black (light) in small steps, just
    far enough to reach TARGET on every background; its hue stays recognisable."""
    towards = WHITE if dark else BLACK
    for step in range(21):
        candidate = colour.blend(towards, step / 20)
        if min(contrast(candidate, bg) for bg in backgrounds) >= TARGET:
            return candidate
    return towards


def legible_variables(variables: dict[str, str], dark: bool) -> dict[str, str]:
    """Textual's CSS variables with the coloured text variants and the block cursor's text
    made readable. Themes of terminal (ANSI) colours are left to the terminal."""
    try:
        backgrounds = [Color.parse(variables[name]) for name in BACKGROUNDS]
        cursor = Color.parse(variables["block-cursor-background"])
    except (KeyError, ColorParseError):
        return variables
    if any(bg.ansi is not None for bg in backgrounds):
        return variables
    legible = dict(variables)
    for name in TEXT_COLOURS:
        legible[name] = readable(Color.parse(variables[name]), backgrounds, dark).hex
    legible["block-cursor-foreground"] = max(
        (WHITE, BLACK), key=lambda text: contrast(text, cursor)
    ).hex
    return legible

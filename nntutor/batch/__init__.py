"""Grading many submissions at once: workers, resumable results, gradebook formats."""

# The --format choices (here, so the command line need not import the formats themselves).
FORMATS = ("table", "json", "csv", "gradescope", "junit")

"""The headless grading core: no textual, no tensorflow, ever (a test checks it)."""

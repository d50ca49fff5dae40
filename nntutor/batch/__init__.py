"""Grading many submissions at once: workers, resumable results, gradebook formats."""

"""nntutor: a terminal tutor and autograder for training your first models."""

__version__ = "0.1.0"

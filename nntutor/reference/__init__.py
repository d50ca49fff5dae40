"""Reference implementations: they run in the grader, never in a learner's child process."""

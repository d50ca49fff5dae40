"""Code that runs inside the child process beside the learner's code.

Nothing here may hold expected answers: the grader keeps those. Modules here import only the
standard library and numpy at import time.
"""

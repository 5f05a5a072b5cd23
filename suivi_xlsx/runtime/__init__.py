"""Process-level helpers for large runs: pausing the cyclic garbage collector, returning
freed heap to the operating system. No domain knowledge.
"""

"""Give the memory Python has freed back to the operating system between two phases of a run.

glibc keeps the freed blocks of many mid-sized objects (a register's long cell texts) in its
heap for reuse; the next phase's large buffers (a sheet part of hundreds of MB) are mapped
apart, so the process's peak becomes the sum of both phases instead of the larger one.
"""

from __future__ import annotations

import sys


def release_freed_memory() -> None:
    """Return freed heap memory to the system (glibc's ``malloc_trim``). Call it once a large
    structure has been dropped. Does nothing where there is no such call (Windows, macOS,
    musl), where freed memory is handled otherwise."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)


_M_ARENA_MAX = -8  # glibc's mallopt parameter


def single_arena() -> None:
    """Make glibc serve every thread from one heap (``mallopt(M_ARENA_MAX, 1)``). Call it
    before starting a thread. The background parse (``parsing.start_prefetch``) would
    otherwise get a heap of its own, and what it frees there stays mapped: after reading
    100,000 rows of an .ods, 70 MB more through the rest of the run. One heap costs nothing
    measurable here: the two threads rarely allocate at once (python-calamine parses with the
    GIL released, Python imports meanwhile). Does nothing outside glibc."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    mallopt(_M_ARENA_MAX, 1)

"""Back a large in-memory array with 2 MiB pages, so random row reads stop missing the TLB.

The exact plan gathers thousands of scattered rows of a large float16 matrix (the FAISS
index's own codes, allocated by FAISS, so numpy's own huge-page advice never applies). On
4 KiB pages nearly every row costs a page walk; on huge pages the gather of a million-product matrix
is faster (benchmarks/recommender_search.py; docs/benchmarks.md).
`MADV_COLLAPSE` (Linux 6.1+) does this at once at load time, which takes seconds for a
million products; where the kernel lacks it or refuses, the array simply stays on small
pages, which is slower but correct.
"""
from __future__ import annotations

import ctypes
import logging

import numpy as np

log = logging.getLogger(__name__)

HUGE_PAGE_BYTES = 2 << 20
MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25


def collapse_onto_huge_pages(array: np.ndarray) -> bool:
    """Ask the kernel to back the whole 2 MiB-aligned part of `array` with huge pages now.
    True when it did; False (logged) when the platform or kernel cannot."""
    start = (array.ctypes.data + HUGE_PAGE_BYTES - 1) // HUGE_PAGE_BYTES * HUGE_PAGE_BYTES
    end = (array.ctypes.data + array.nbytes) // HUGE_PAGE_BYTES * HUGE_PAGE_BYTES
    if end <= start:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        madvise = libc.madvise
    except (OSError, AttributeError):
        return False
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    for advice in (MADV_HUGEPAGE, MADV_COLLAPSE):
        if madvise(start, end - start, advice) != 0:
            log.info("huge pages not available for the exact-search matrix (madvise %d: errno %d)",
                     advice, ctypes.get_errno())
            return False
    return True

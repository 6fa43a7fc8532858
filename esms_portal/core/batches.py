"""Many acts in a row (a bulk job's chunk, each case in its own transaction): work that follows an act
after its commit and may be done once for all of them (the onboarding tracker's refresh of the EJs
the acts changed) is collected while `batch()` runs and done once when it ends.

The caller of the acts opens the block; the listener asks `defer(flush, item)`: True, the item waits
for `flush(items)` at the end of the block; False (no block open), it does its work as usual. A
flush that fails is logged, as an after-commit callback run with `robust=True`: what the acts
committed stands.
"""

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager

logger = logging.getLogger(__name__)
_state = threading.local()


@contextmanager
def batch():
    """Collect the deferred work of the acts run inside; do it once on leaving (a nested block leaves it
    to the outer one)."""
    if getattr(_state, "pending", None) is not None:
        yield
        return
    _state.pending = {}
    try:
        yield
    finally:
        pending, _state.pending = _state.pending, None
        for flush, items in pending.values():
            try:
                flush(items)
            except Exception:
                logger.exception("deferred %s of %s items failed", getattr(flush, "__name__", flush), len(items))


def defer(flush: Callable[[set], object], item) -> bool:
    """Hand `item` to `flush` at the end of the open batch: True; False when no batch is open."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        return False
    pending.setdefault(flush, (flush, set()))[1].add(item)
    return True

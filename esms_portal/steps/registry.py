"""Handlers of step kinds. Each app registers its own in `<app>/steps.py`, found at first use."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


class UnknownStepKind(LookupError):
    pass


@dataclass(frozen=True)
class Handler:
    kind: str
    label: str
    run: Callable


_handlers: dict[str, Handler] = {}
_discovered = False


def register_step_handler(kind: str, *, label: str = ""):
    """Register the handler of `kind`: `handler(step)` runs in the transaction that marks it done.

    A handler must be idempotent: guard each effect by a unique constraint or a state check, so a
    second run (a message delivered twice, a worker killed after the effect) does nothing.
    """

    def decorate(function: Callable) -> Callable:
        known = _handlers.get(kind)
        if known and (known.run.__module__, known.run.__qualname__) != (
            function.__module__,
            function.__qualname__,
        ):
            raise ValueError(f"step kind {kind!r} already has a handler: {known.run.__qualname__}")
        _handlers[kind] = Handler(kind=kind, label=label or kind, run=function)
        return function

    return decorate


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("steps")
        _discovered = True


def handler_for(kind: str) -> Handler:
    _discover()
    try:
        return _handlers[kind]
    except KeyError:
        raise UnknownStepKind(f"aucun traitement enregistré pour le type d'étape « {kind} »") from None


def label_of(kind: str) -> str:
    _discover()
    handler = _handlers.get(kind)
    return handler.label if handler else kind

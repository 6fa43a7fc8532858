"""Handlers of step kinds, declared by each app in its `portal.py` (esms_portal.core.extensions)."""

from functools import cache

from esms_portal.core.extensions import StepHandler, extensions


class UnknownStepKind(LookupError):
    pass


@cache
def _handlers() -> dict[str, StepHandler]:
    handlers = {}
    for extension in extensions():
        for handler in extension.step_handlers:
            if handler.kind in handlers:
                raise ValueError(f"step kind {handler.kind!r} already has a handler: {handlers[handler.kind].run}")
            handlers[handler.kind] = handler
    return handlers


def handler_for(kind: str) -> StepHandler:
    try:
        return _handlers()[kind]
    except KeyError:
        raise UnknownStepKind(f"aucun traitement enregistré pour le type d'étape « {kind} »") from None


def label_of(kind: str) -> str:
    handler = _handlers().get(kind)
    return handler.label if handler else kind

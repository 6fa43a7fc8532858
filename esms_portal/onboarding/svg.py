"""The timeline drawn as an SVG (templates/onboarding/timeline.svg): a vertical line of milestones
in DSFR colours. Colour is never alone: each status has its symbol and its words (RGAA 3.1), and
the drawing carries its own text alternative (<title>, <desc>)."""

from dataclasses import dataclass

from esms_portal.onboarding.milestones import Status
from esms_portal.onboarding.support import day
from esms_portal.onboarding.timeline import Step, Timeline

# DSFR system colours (425 shades: AA contrast on white).
COLOURS = {
    Status.DONE: "#18753c",
    Status.IN_PROGRESS: "#0063cb",
    Status.TODO: "#000091",
    Status.BLOCKED: "#ce0500",
    Status.NOT_NEEDED: "#666666",
    Status.UNAVAILABLE: "#666666",
}
SYMBOLS = {
    Status.DONE: "✓",
    Status.IN_PROGRESS: "…",
    Status.TODO: "→",
    Status.BLOCKED: "✕",
    Status.NOT_NEEDED: "–",
    Status.UNAVAILABLE: "?",
}
ROW, TOP, WIDTH = 56, 28, 720


@dataclass(frozen=True)
class Node:
    step: Step
    y: int
    colour: str
    symbol: str
    caption: str


def caption(step: Step) -> str:
    """The status line under a milestone, also used in the text alternative."""
    words = step.status_label
    if step.status == Status.DONE and step.planned_at:
        return f"{words} le {day(step.planned_at)}"
    if step.status == Status.BLOCKED:
        return f"{words} : attend {', '.join(step.blocked_by_labels)}"
    if step.planned_at and step.status != Status.NOT_NEEDED:
        when = "prévue" if not step.is_projection else "estimée"
        waiting = f", attend {step.waiting_label}" if step.waiting_label else ""
        return f"{words}{waiting} ; {when} vers le {day(step.planned_at)}"
    return words


def layout(timeline: Timeline) -> dict:
    nodes = [Node(step, TOP + index * ROW, COLOURS[step.status], SYMBOLS[step.status], caption(step))
             for index, step in enumerate(timeline.steps)]
    description = " ".join(f"Étape {n.step.milestone.number}, {n.step.milestone.label} : {n.caption}." for n in nodes)
    return {
        "nodes": nodes,
        "width": WIDTH,
        "height": TOP + len(nodes) * ROW,
        "line_end": TOP + (len(nodes) - 1) * ROW,
        "title": f"Frise d'embarquement de {timeline.organisation.name} : "
                 f"{timeline.done_count} étapes sur {len(nodes)} réalisées ou non nécessaires",
        "description": description,
    }

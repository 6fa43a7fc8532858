"""Domain errors of the portal. Each has a stable code (API) and a French message (UI).

Views turn them into form messages, the API into JSON {code, message} with the HTTP status below.
"""


class PortalError(Exception):
    code = "error"
    status = 400
    message = "La demande n'a pas pu être traitée."

    def __init__(self, message: str | None = None, *, code: str | None = None, details=None):
        self.message = message or self.message
        if code:
            self.code = code
        self.details = details
        super().__init__(self.message)


class InvalidInput(PortalError):
    code = "invalid"
    message = "Les données transmises sont invalides."


class ActNotAllowed(PortalError):
    code = "forbidden_act"
    status = 403
    message = "Vous n'avez pas le droit d'effectuer cet acte."


class CardLoginRequired(ActNotAllowed):
    code = "card_login_required"
    message = "Cet acte demande une connexion avec votre carte CPx (lecteur de carte ou agent de carte)."


class PrerequisiteMissing(PortalError):
    code = "prerequisite_missing"
    status = 409
    message = "Un prérequis de cet acte n'est pas rempli."


class StateConflict(PortalError):
    """The request is no longer in a state where the act applies (often: someone acted first)."""

    code = "state_conflict"
    status = 409
    message = "Cette demande a changé d'état entre-temps : rechargez la page."


class ReasonRequired(PortalError):
    code = "reason_required"
    message = "Un motif est obligatoire pour cet acte."


class WrongPin(PortalError):
    """A wrong PIN, of a CPx card or of an e-CPS: `tries_left` more before it is blocked.

    `template` words the message as the caller's page names the code ({tries_left}, {s} for the plural).
    """

    code = "wrong_pin"
    status = 403
    template = "Code porteur erroné : il reste {tries_left} essai{s}."

    def __init__(self, tries_left: int, *, template: str | None = None):
        message = (template or self.template).format(tries_left=tries_left, s="s" if tries_left > 1 else "")
        super().__init__(message, details={"tries_left": tries_left})

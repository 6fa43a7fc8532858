"""Domain errors of the portal. Each has a stable code (API) and a French message (UI).

Views turn them into form messages, the API into JSON {code, message} with the HTTP status below.
A subclass declares its vocabulary in its header; what it leaves out it inherits:

    class StateConflict(PortalError, code="state_conflict", status=409, message="..."):
"""


class PortalError(Exception):
    code = "error"
    status = 400
    message = "La demande n'a pas pu être traitée."

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None, message: str | None = None,
                          **kwargs):
        super().__init_subclass__(**kwargs)
        cls.code = code or cls.code
        cls.status = status or cls.status
        cls.message = message or cls.message

    def __init__(self, message: str | None = None, *, code: str | None = None, details=None):
        self.message = message or self.message
        if code:
            self.code = code
        self.details = details
        super().__init__(self.message)


class InvalidInput(PortalError, code="invalid", message="Les données transmises sont invalides."):
    pass


class ActNotAllowed(PortalError, code="forbidden_act", status=403,
                    message="Vous n'avez pas le droit d'effectuer cet acte."):
    pass


class CardLoginRequired(ActNotAllowed, code="card_login_required",
                        message="Cet acte demande une connexion avec votre carte CPx (lecteur de carte ou agent "
                                "de carte)."):
    pass


class PrerequisiteMissing(PortalError, code="prerequisite_missing", status=409,
                          message="Un prérequis de cet acte n'est pas rempli."):
    pass


class StateConflict(PortalError, code="state_conflict", status=409,
                    message="Cette demande a changé d'état entre-temps : rechargez la page."):
    """The request is no longer in a state where the act applies (often: someone acted first)."""


class ReasonRequired(PortalError, code="reason_required", message="Un motif est obligatoire pour cet acte."):
    pass


class WrongPin(PortalError, code="wrong_pin", status=403):
    """A wrong PIN, of a CPx card or of an e-CPS: `tries_left` more before it is blocked.

    `template` words the message as the caller's page names the code ({tries_left}, {s} for the plural).
    """

    template = "Code porteur erroné : il reste {tries_left} essai{s}."

    def __init__(self, tries_left: int, *, template: str | None = None):
        message = (template or self.template).format(tries_left=tries_left, s="s" if tries_left > 1 else "")
        super().__init__(message, details={"tries_left": tries_left})


class JsonTooDeep(InvalidInput, ValueError, code="json_too_deep",
                  message="Le corps JSON est trop imbriqué (32 niveaux de listes ou d'objets au plus)."):
    """A ValueError too, as json.loads raises for a body it cannot read: callers catch one thing."""


class BodyTooLarge(PortalError, code="request_too_large", status=413,
                   message="La requête dépasse la taille maximale acceptée."):
    pass


class ProSanteConnectRefused(PortalError, code="psc_refused", status=403,
                             message="La connexion avec Pro Santé Connect a été refusée : recommencez."):
    """A Pro Santé Connect login refused (esms_portal.auth.psc): no session is opened."""


class ProSanteConnectUnavailable(ProSanteConnectRefused, code="psc_unavailable", status=503,
                                 message="Pro Santé Connect ne répond pas : réessayez dans quelques minutes ou "
                                         "connectez-vous avec votre carte."):
    """Pro Santé Connect cannot be reached (discovery, keys, token or userinfo): no session is opened."""

"""What every page does with a service's refusal: its French message on the form that caused it."""

from esms_portal.core.errors import PortalError


def show_error(form, error: PortalError) -> None:
    """The service's message on top of the form, and next to each field its details name."""
    form.add_error(None, error.message)
    details = error.details if isinstance(error.details, dict) else {}
    for field, problem in details.items():
        if field in form.fields and isinstance(problem, str):
            form.add_error(field, problem)


def submit(form, act, **kwargs):
    """Call the service `act(**kwargs)`; on a PortalError, show it on `form` and return None.

    The one way a view turns a service error into a form message (instead of a try/except per view).
    """
    try:
        return act(**kwargs)
    except PortalError as error:
        show_error(form, error)
        return None

"""What every page does with a service's refusal: its French message on the form that caused it."""

from django.contrib import messages

from esms_portal.core.errors import PortalError


def show_error(form, error: PortalError) -> None:
    """The service's message on top of the form, and next to each field its details name."""
    form.add_error(None, error.message)
    details = error.details if isinstance(error.details, dict) else {}
    for field, problem in details.items():
        if field in form.fields and isinstance(problem, str):
            form.add_error(field, problem)


def submit(form, service, /, **kwargs):
    """Call `service(**kwargs)`; on a PortalError, show it on `form` and return None.

    The one way a view turns a service error into a form message (instead of a try/except per view).
    """
    try:
        return service(**kwargs)
    except PortalError as error:
        show_error(form, error)
        return None


def attempt(request, service, /, **kwargs):
    """Call `service(**kwargs)` for a page that posts no form of its own (an act button); on a
    PortalError, flash its message and every unmet prerequisite it names, and return None."""
    try:
        return service(**kwargs)
    except PortalError as error:
        details = error.details if isinstance(error.details, dict) else {}
        unmet = [problem for problem in details.get("unmet", []) if problem != error.message]
        messages.error(request, " ".join([error.message, *unmet]))
        return None

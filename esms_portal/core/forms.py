"""What every page does with a service's refusal: its French message on the form that caused it,
or on the next page when no form carries it."""

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


def flash_error(request, error: PortalError) -> None:
    """The service's message at the top of the next page, with every unmet prerequisite it names."""
    details = error.details if isinstance(error.details, dict) else {}
    unmet = [problem for problem in details.get("unmet", []) if problem != error.message]
    messages.error(request, " ".join([error.message, *unmet]))


def attempt(request, service, /, *, on_error=flash_error, **kwargs):
    """Call `service(**kwargs)` for a page that posts no form of its own (an act button); on a
    PortalError, hand it to `on_error(request, error)` and return None. By default its message is
    flashed (`flash_error`); a page may rather answer 403 (raise) or put it on a form."""
    try:
        return service(**kwargs)
    except PortalError as error:
        on_error(request, error)
        return None

"""What every page does with a service's refusal: its French message on the form that caused it,
or on the next page when no form carries it."""

from django.contrib import messages

from esms_portal.core.errors import InvalidInput, PortalError


def _field_problems(error: PortalError) -> dict:
    """The problems an InvalidInput lists field by field (every one at once, R-RPP-8), as the API's
    serializer errors do. Other details are data (a rule, a number, a FINESS), never shown as errors."""
    details = error.details
    if isinstance(error, InvalidInput) and error.code == InvalidInput.code and isinstance(details, dict):
        return details
    return {}


def show_error(form, error: PortalError) -> None:
    """The problems of each field next to it (on top for a name the form lacks); else the message on top."""
    problems = _field_problems(error)
    for field, problem in problems.items():
        form.add_error(field if field in form.fields else None, problem)
    if not problems:
        form.add_error(None, error.message)


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


def submit_posted(request, form, service, /, *, values=None, on_error=None, **kwargs):
    """A page's form that files or performs an act: on a valid POST, call `service(**kwargs, **values(form))`
    (its cleaned data when `values` is None) and return the result. None on a GET, an invalid form or
    a refusal: shown on the form, or handed to `on_error(request, error)` as `attempt` does."""
    if request.method != "POST" or not form.is_valid():
        return None
    on_error = on_error or (lambda _request, error: show_error(form, error))
    return attempt(request, service, on_error=on_error, **kwargs, **(values(form) if values else form.cleaned_data))


def flash_act(request, form, service, /, *, invalid: str, done: str, on_error=flash_error, **kwargs) -> None:
    """An act posted from a small form of an object's page, whose outcome that page then shows as a
    message: `invalid` for an invalid form, else the refusal (`on_error`, as `attempt`) or `done`."""
    if not form.is_valid():
        messages.error(request, invalid)
    elif attempt(request, service, on_error=on_error, **kwargs, **form.cleaned_data) is not None:
        messages.success(request, done)

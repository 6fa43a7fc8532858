"""What the card pages share: putting a service error on the form that caused it."""

from esms_portal.core.errors import PortalError


def show_error(form, error: PortalError) -> None:
    """The service's French message on top of the form, and next to a field it names."""
    form.add_error(None, error.message)
    details = error.details if isinstance(error.details, dict) else {}
    for field, problem in details.items():
        if field in form.fields and isinstance(problem, str):
            form.add_error(field, problem)

"""F999 forms (tests/kernel_app) filed through their real service, named by their case refs."""

import pytest

from esms_portal.workflow.form_services import form_act
from tests.factories import UserFactory
from tests.kernel_app.services import f999_file


def file_forms(alice, alpha, count: int, *, ready: bool = True, in_instruction_by=None) -> list:
    forms = [f999_file(actor=alice, organisation=alpha, subject=f"Essai {n}", ready=ready) for n in range(count)]
    if in_instruction_by is not None:
        forms = [form_act(actor=in_instruction_by, form=form, act="start_instruction") for form in forms]
    return forms


def ref(form) -> str:
    return f"f999:{form.pk}"


@pytest.fixture
def bruno(db):
    """A second ANS agent."""
    return UserFactory(email="bruno@esante.example", is_staff=True, first_name="Bruno", last_name="Agent")

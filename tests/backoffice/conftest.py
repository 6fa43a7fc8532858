"""The back office's cast: cases of several declared types (the contract and the test form F999),
reached through the real services; a second agent, olga."""

import pytest

from tests.factories import UserFactory
from tests.kernel_app.services import f999_file


@pytest.fixture
def olga(db):
    return UserFactory(email="olga@esante.example", is_staff=True, first_name="Olga", last_name="Instructrice")


@pytest.fixture
def f999(alpha, alice):
    return f999_file(actor=alice, organisation=alpha, subject="Essai")


@pytest.fixture
def beta_f999(beta, charlie):
    return f999_file(actor=charlie, organisation=beta, subject="Autre")


def ref(request) -> str:
    return f"{type(request).request_type.key}:{request.pk}"


def act(form, name: str, agent, reason: str = ""):
    from esms_portal.workflow.form_services import form_perform

    return form_perform(actor=agent, form=form, act=name, reason=reason)

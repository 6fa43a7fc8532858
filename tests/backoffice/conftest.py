"""The back office's cast: cases of several declared types (the contract and the test form F999),
reached through the real services; a second and third agent, bruno and olga; F999 forms filed in
numbers for the bulk acts."""

import pytest

from esms_portal.workflow.form_services import form_act
from tests.factories import UserFactory
from tests.kernel_app.services import f999_file


def file_forms(alice, alpha, count: int, *, ready: bool = True, in_instruction_by=None) -> list:
    forms = [f999_file(actor=alice, organisation=alpha, subject=f"Essai {n}", ready=ready) for n in range(count)]
    if in_instruction_by is not None:
        forms = [form_act(actor=in_instruction_by, form=form, act="start_instruction") for form in forms]
    return forms


@pytest.fixture
def bruno(db):
    """A second ANS agent."""
    return UserFactory(email="bruno@esante.example", is_staff=True, first_name="Bruno", last_name="Agent")


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


def bulk_cases(organisation, count: int, *, type_key: str = "f999", labels=()):
    """`count` cases written straight into the index (exports and pages over many rows)."""
    import uuid
    from datetime import timedelta

    from django.utils import timezone

    from esms_portal.models import Case

    now = timezone.now()
    cases = Case.objects.bulk_create([
        Case(type_key=type_key, object_id=str(uuid.uuid4()), organisation=organisation,
             organisation_name=organisation.name, finess=organisation.finess or "", region=organisation.region,
             departement=organisation.departement, number=f"N{index:06d}", people="Jeanne Dupont",
             search_text="JEANNE DUPONT", state="submitted", state_label="Déposée", stage="waiting",
             filed_at=now - timedelta(days=index % 20), deadline=now + timedelta(days=6 - index % 20),
             window_low_days=2, window_high_days=5)
        for index in range(count)])
    through = Case.labels.through
    through.objects.bulk_create([through(case_id=case.pk, label_id=label.pk) for case in cases for label in labels])
    return cases


def preset(name: str):
    """A preset label (the migration's), made again after a transactional test flushed the tables."""
    from esms_portal.models import Label

    colours = {"À examiner": "blue-ecume", "À relancer": "yellow-tournesol", "Urgent": "pink-tuile"}
    return Label.objects.get_or_create(name=name, defaults={"colour": colours[name]})[0]

"""Each instructed request type is declared once (its app's portal.py) and the kernel reads it."""

import pytest

from cards.models import DirectorCardOrder, MandateRequest, StaffCardOrder
from certificates.models import AdministratorChange, AdministratorDesignation
from contracts.models import Contract
from esms_portal.core.extensions import extensions
from esms_portal.steps.registry import handler_for, label_of
from esms_portal.workflow import backoffice
from esms_portal.workflow.declarations import form_types, request_type, request_types
from rpps_plus.models import Situation


def test_every_request_model_is_bound_to_its_declaration():
    for declared in request_types():
        assert declared.model.request_type is declared


def test_the_forms_read_their_number_window_and_acts_from_their_declaration():
    assert [DirectorCardOrder().form_code, StaffCardOrder().form_code, MandateRequest().form_code] == [
        "F101", "F301", "F502"]
    assert AdministratorDesignation().instruction_window == "contract_instruction"
    assert StaffCardOrder().instruction_window == "card_form_instruction"
    assert Situation().instruction_window == "rpps_profession_analysis"
    assert AdministratorChange.request_type.instruct_act == "f413.instruct"


def test_the_queues_are_the_declared_request_types_in_apps_order():
    assert [queue.key for queue in backoffice.queues()] == [
        "contrats", "f101", "f301", "f502", "f413", "f503", "rpps", "f999"]
    assert backoffice.get_queue("f502").label == "F502 — mandataires"
    assert backoffice.get_queue("nope") is None


def test_the_forms_of_one_app_in_declaration_order():
    assert [form.number for form in form_types("cards")] == ["F101", "F301", "F502"]
    assert [form.number for form in form_types("certificates")] == ["F413", "F503"]
    assert request_type("contrats").model is Contract
    assert request_type("contrats") not in form_types()  # no generic routes: the contract has its own API


def test_each_app_declares_its_extension_in_one_module():
    assert [extension.name for extension in extensions()] == [
        "esms_portal", "contracts", "cards", "certificates", "rpps_plus", "tests.kernel_app"]


def test_step_handlers_come_from_the_declared_extensions():
    assert handler_for("cards.deliver").label == "Carte : livraison"
    assert label_of("demo") == "Démonstration d'un délai"
    assert label_of("unknown.kind") == "unknown.kind"


@pytest.mark.django_db
def test_every_declared_form_has_its_routes(client):
    from django.urls import reverse

    for form in form_types():
        assert reverse(f"api-{form.key}-list").endswith(f"/{form.api_path}/{form.key}/")

"""Every decision on a declared request type issues a PDF attestation, in the decision's transaction:
its row and its SHA-256 in the decision's audit row; its file once the decision commits."""

import hashlib

import pytest
from django.db import transaction
from django.utils import timezone

from contracts import services as contract_services
from esms_portal.core.uploads import private_storage
from esms_portal.dialogue import attestations
from esms_portal.models import Attestation, AuditEntry
from esms_portal.workflow.form_services import form_perform
from tests.dialogue.conftest import pdf_text
from tests.kernel_app.models import SampleForm
from tests.kernel_app.services import f999_file

pytestmark = pytest.mark.django_db


def _decision_entry(request, act):
    return next(entry for entry in request.audit_trail() if entry.act == act)


def test_an_accepted_contract_gets_its_attestation(in_instruction, ana, alpha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    attestation = Attestation.objects.get()
    data = private_storage.open(attestation.file, "rb").read()
    text = pdf_text(data)
    for expected in ("Agence du Numérique en Santé", "RÉPUBLIQUE FRANÇAISE", "Association Alpha",
                     f"FINESS juridique {alpha.finess}", "Contrat d'adhésion", f"Numéro de dossier {contract.pk}",
                     "Décision Acceptation", attestation.code):
        assert expected in text, expected
    local = timezone.localtime(contract.decided_at)
    assert f"{local.day} " in text and str(local.year) in text and local.strftime("%H:%M") in text
    assert (attestation.decision, attestation.act, attestation.request_key) == ("accepted", "accept", "contrats")
    assert attestation.sha256 == hashlib.sha256(data).hexdigest()
    entry = _decision_entry(contract, "accept")
    assert entry.snapshot["attestation"] == {"code": attestation.code, "sha256": attestation.sha256}
    assert entry.snapshot["cgu_version"]  # the request's own snapshot is kept beside it


def test_a_refusal_carries_its_reason(in_instruction, ana):
    contract = contract_services.contract_reject(actor=ana, contract_pk=in_instruction.pk,
                                                 reason="Le justificatif de nomination est illisible.")
    attestation = Attestation.objects.get()
    text = pdf_text(attestations.pdf_of(attestation))
    assert "Décision Refus" in text
    assert "Motif Le justificatif de nomination est illisible." in text
    assert _decision_entry(contract, "reject").snapshot["attestation"]["sha256"] == attestation.sha256


def test_a_termination_gets_its_own(accepted, ana):
    contract_services.contract_terminate(actor=ana, contract_pk=accepted.pk, reason="Structure fermée.")
    issued = attestations.attestations_of(accepted)
    assert [a.decision for a in issued] == ["terminated", "accepted"]
    assert "Décision Résiliation" in pdf_text(attestations.pdf_of(issued[0]))


def test_acts_that_decide_nothing_issue_none(submitted, ana):
    contract_services.contract_start_instruction(actor=ana, contract_pk=submitted.pk)
    assert not Attestation.objects.exists()
    assert "attestation" not in _decision_entry(submitted, "start_instruction").snapshot


def test_the_test_apps_f999_gets_one_without_code_of_its_own(alice, alpha, ana):
    form = f999_file(actor=alice, organisation=alpha, subject="Essai")
    form_perform(actor=ana, form=form, act="start_instruction")
    form = form_perform(actor=ana, form=form, act="reject", reason="Sujet hors champ.")
    attestation = Attestation.objects.get()
    assert (attestation.request_key, attestation.request_label) == ("f999", "F999 — formulaire de test")
    text = pdf_text(attestations.pdf_of(attestation))
    assert "F999 — formulaire de test" in text and "Motif Sujet hors champ." in text
    assert f"Numéro de dossier {str(form.pk).split('-')[0].upper()}" in text
    assert _decision_entry(form, "reject").snapshot["attestation"]["code"] == attestation.code


def test_a_structure_known_by_its_siret_is_named_by_it(diane, gamma, ana):
    form = f999_file(actor=diane, organisation=gamma, subject="Essai")
    form_perform(actor=ana, form=form, act="start_instruction")
    form_perform(actor=ana, form=form, act="accept")
    assert f"SIRET {gamma.siret}" in pdf_text(attestations.pdf_of(Attestation.objects.get()))


def test_a_rolled_back_decision_leaves_no_attestation_nor_file(alice, alpha, ana, settings,
                                                               django_capture_on_commit_callbacks):
    form = f999_file(actor=alice, organisation=alpha, subject="Essai")
    form_perform(actor=ana, form=form, act="start_instruction")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # noqa: PT012
        with transaction.atomic():
            form_perform(actor=ana, form=form, act="accept")
            assert Attestation.objects.count() == 1  # issued inside the decision's transaction...
            raise RuntimeError("the decision's transaction fails after the act")
    assert not Attestation.objects.exists()  # ... and gone with it
    assert not AuditEntry.objects.filter(act="accept").exists()
    assert SampleForm.objects.get().state == "in_instruction"
    folder = settings.MEDIA_ROOT / attestations.FOLDER
    assert not folder.exists() or not any(folder.iterdir())


def test_the_file_is_written_once_the_decision_commits(in_instruction, ana, settings,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    attestation = Attestation.objects.get()
    assert not private_storage.exists(attestation.file)
    for callback in callbacks:
        callback()
    assert private_storage.exists(attestation.file)


def test_a_lost_file_is_rendered_again_identical(in_instruction, ana):
    """Deterministic rendering: the PDF rendered again from the row has the recorded hash."""
    contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)  # file never written here
    attestation = Attestation.objects.get()
    assert hashlib.sha256(attestations.pdf_of(attestation)).hexdigest() == attestation.sha256


def test_an_altered_stored_file_is_never_served(in_instruction, ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    attestation = Attestation.objects.get()
    path = private_storage.path(attestation.file)
    with open(path, "r+b") as stored:
        stored.seek(200)
        byte = stored.read(1)
        stored.seek(200)
        stored.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(attestations.AttestationAltered):
        attestations.pdf_of(attestation)


def test_codes_are_random_typeable_and_normalised():
    codes = {attestations.new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    assert len(code) == 19 and code.count("-") == 3
    assert attestations.normalise_code(code.lower().replace("-", " ")) == code
    assert attestations.normalise_code("abcd") == ""

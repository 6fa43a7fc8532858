import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from contracts.models import CGU_VERSION, ContractState
from esms_portal.core.errors import InvalidInput, StateConflict
from esms_portal.core.uploads import UploadRejected
from tests.factories import complete_contract_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.rule("R-CON-4")
def test_submission_says_field_by_field_what_is_missing(draft, alice):
    with pytest.raises(InvalidInput) as error:
        services.contract_submit(actor=alice, contract_pk=draft.pk)
    assert error.value.code == "incomplete"
    assert {"cgu_accepted", "representative_last_name", "capacity"} <= set(error.value.details)
    draft.refresh_from_db()
    assert draft.state == ContractState.DRAFT


@pytest.mark.rule("R-CON-4")
def test_the_cgu_acceptance_is_recorded_with_its_version_and_time(draft, alice):
    contract = services.contract_update(actor=alice, contract_pk=draft.pk, data={}, cgu_accepted=True)
    assert contract.cgu_version == CGU_VERSION and contract.cgu_accepted_at is not None


@pytest.mark.rule("R-CON-4")
def test_a_complete_draft_is_submitted_and_starts_the_clock(submitted):
    assert submitted.state == ContractState.SUBMITTED
    assert submitted.submitted_at is not None
    assert [e.act for e in submitted.audit_trail()] == ["create", "submit"]


def test_a_submitted_dossier_is_read_only_to_the_organisation(submitted, alice):
    with pytest.raises(StateConflict):
        services.contract_update(actor=alice, contract_pk=submitted.pk, data={"representative_last_name": "X"})


def test_a_bad_email_is_refused_and_nothing_is_saved(draft, alice):
    with pytest.raises(InvalidInput) as error:
        services.contract_update(
            actor=alice, contract_pk=draft.pk, data={"representative_email": "pas-un-courriel", "capacity": "director"}
        )
    assert "representative_email" in error.value.details
    draft.refresh_from_db()
    assert draft.capacity == ""


def test_an_unknown_field_is_refused(draft, alice):
    with pytest.raises(InvalidInput):
        services.contract_update(actor=alice, contract_pk=draft.pk, data={"state": "accepted"})


@pytest.mark.rule("R-CON-7")
def test_a_president_must_say_who_gets_the_director_card(draft, alice):
    services.contract_update(
        actor=alice, contract_pk=draft.pk, data=complete_contract_data(capacity="president"), cgu_accepted=True
    )
    with pytest.raises(InvalidInput) as error:
        services.contract_submit(actor=alice, contract_pk=draft.pk)
    assert set(error.value.details) == {"card_arrangement"}


@pytest.mark.rule("R-CON-7")
def test_a_president_keeping_the_card_needs_no_proof(draft, alice):
    data = complete_contract_data(capacity="president", card_arrangement="president_card")
    services.contract_update(actor=alice, contract_pk=draft.pk, data=data, cgu_accepted=True)
    assert services.contract_submit(actor=alice, contract_pk=draft.pk).state == ContractState.SUBMITTED


@pytest.mark.rule("R-CON-7")
def test_a_director_claiming_the_card_needs_his_identity_and_a_pdf_proof(draft, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = complete_contract_data(capacity="president", card_arrangement="director_card")
    services.contract_update(actor=alice, contract_pk=draft.pk, data=data, cgu_accepted=True)
    with pytest.raises(InvalidInput) as error:
        services.contract_submit(actor=alice, contract_pk=draft.pk)
    assert {"director_last_name", "director_email", "proof", "proof_kind"} <= set(error.value.details)

    director = {"director_last_name": "Bernard", "director_first_names": "Paul", "director_email": "paul@alpha.example"}
    services.contract_update(actor=alice, contract_pk=draft.pk, data=director)
    upload = SimpleUploadedFile("nomination.pdf", PDF, content_type="application/pdf")
    contract = services.contract_attach_proof(actor=alice, contract_pk=draft.pk, upload=upload, kind="appointment")
    assert (tmp_path / contract.proof_file).read_bytes() == PDF
    assert services.contract_submit(actor=alice, contract_pk=draft.pk).state == ContractState.SUBMITTED


@pytest.mark.rule("R-CON-7")
def test_a_proof_that_is_not_a_pdf_is_refused_and_nothing_is_stored(draft, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("nomination.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(UploadRejected) as error:
        services.contract_attach_proof(actor=alice, contract_pk=draft.pk, upload=upload, kind="appointment")
    assert error.value.code == "not_a_pdf"
    draft.refresh_from_db()
    assert draft.proof_file == "" and not any(tmp_path.iterdir())

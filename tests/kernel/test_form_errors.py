"""A service's refusal on the page that caused it (esms_portal.core.forms)."""

from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from esms_portal.core.errors import InvalidInput, PrerequisiteMissing, WrongPin
from esms_portal.core.forms import attempt, show_error, submit


class PersonForm(forms.Form):
    name = forms.CharField(required=False)
    site = forms.CharField(required=False)


def refuse(*, error):
    raise error


def shown(error) -> dict:
    form = PersonForm({})
    form.is_valid()
    show_error(form, error)
    return form.errors.get_json_data()


def message_texts(errors, field="__all__"):
    return [e["message"] for e in errors.get(field, [])]


def test_every_field_problem_goes_next_to_its_field_instead_of_the_summary():
    errors = shown(InvalidInput("Données invalides.", details={"name": ["Nom : champ obligatoire."],
                                                              "birth": ["Date invalide."]}))
    assert message_texts(errors, "name") == ["Nom : champ obligatoire."]
    assert message_texts(errors) == ["Date invalide."]  # a field the form lacks: on top


def test_details_that_are_data_are_never_shown_as_errors():
    errors = shown(PrerequisiteMissing("L'établissement doit être au FINESS.", details={"site": "0B1000021"}))
    assert message_texts(errors) == ["L'établissement doit être au FINESS."] and "site" not in errors


def test_an_invalid_file_keeps_its_message():
    errors = shown(InvalidInput("Colonnes manquantes : Nom.", code="template_columns", details={"missing": ["Nom"]}))
    assert message_texts(errors) == ["Colonnes manquantes : Nom."]


def test_submit_returns_the_result_or_none_after_showing_the_refusal():
    form = PersonForm({})
    form.is_valid()
    assert submit(form, lambda *, value: value, value=3) == 3
    assert submit(form, refuse, error=WrongPin(2)) is None
    assert form.non_field_errors() == ["Code porteur erroné : il reste 2 essais."]


def test_a_buttons_refusal_is_flashed():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    assert attempt(request, refuse, error=WrongPin(1, template="PIN : {tries_left} essai{s}.")) is None
    assert [str(m) for m in request._messages] == ["PIN : 1 essai."]

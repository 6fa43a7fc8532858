"""ConstantSelect renders exactly as Django's Select, once per name, value, attributes and choices."""

from django import forms

from esms_portal.core.widgets import ConstantSelect
from rpps_plus.forms import DirectoryForm
from rpps_plus.nomenclatures import PROFESSIONS

CHOICES = [("", "Toutes"), ("10", "Médecin"), ("60", "Infirmier")]


def both(value, attrs=None):
    return (ConstantSelect(choices=CHOICES).render("p", value, attrs),
            forms.Select(choices=CHOICES).render("p", value, attrs))


def test_it_renders_as_a_select_for_every_value_and_attribute():
    for value in ("", None, "10", "60"):
        for attrs in (None, {"class": "fr-select"}, {"class": "fr-select fr-select--error", "aria-invalid": "true"}):
            constant, plain = both(value, attrs)
            assert constant == plain
    assert 'value="60" selected' in both("60")[0]


def test_it_keeps_one_rendering_per_variant_and_none_for_values_outside_the_choices():
    ConstantSelect._rendered.clear()
    for _ in range(3):
        both("10", {"class": "fr-select"})
    assert len(ConstantSelect._rendered) == 1
    constant, plain = both("<script>")
    assert constant == plain and "&lt;script&gt;" not in constant and len(ConstantSelect._rendered) == 1


def test_the_directory_form_shows_the_chosen_profession():
    code = sorted(PROFESSIONS)[0]
    form = DirectoryForm({"profession": code})
    assert form.is_valid()
    assert f'value="{code}" selected' in str(form["profession"])
    assert str(form["profession"]) == str(form["profession"])

"""Forms of the cards pages. They check presence and format; the services decide the rest and their
errors come back on the same form (cards/views)."""

from django import forms

from esms_portal.core.widgets import ConstantSelect

from .models import CardFamily, CardState, IncidentKind
from .ui_selectors import EXPIRY_HORIZON_DAYS


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


class FleetFilterForm(forms.Form):
    state = forms.ChoiceField(label="État", required=False, choices=_blank("Tous les états", CardState.choices),
                              widget=ConstantSelect)
    family = forms.ChoiceField(
        label="Type de carte", required=False, choices=_blank("Tous les types", CardFamily.choices),
        widget=ConstantSelect,
    )
    holder = forms.CharField(
        label="Porteur", required=False, max_length=100,
        help_text="Nom, prénom ou identifiant national",
    )
    expiring = forms.BooleanField(label=f"Expire dans les {EXPIRY_HORIZON_DAYS} jours", required=False)

    def filters(self) -> dict:
        data = {}
        if self.is_bound:
            self.is_valid()  # an invalid filter is shown in error and ignored; the valid ones apply
            data = self.cleaned_data
        return {
            "state": data.get("state", ""),
            "family": data.get("family", ""),
            "holder": (data.get("holder") or "").strip(),
            "expiring_days": EXPIRY_HORIZON_DAYS if data.get("expiring") else None,
        }


class OpposeForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'opposition", max_length=200,
        help_text="Par exemple : départ de l'agent, carte perdue (200 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label="Je confirme l'opposition : elle est immédiate et définitive, la carte ne pourra plus être utilisée.",
        error_messages={"required": "Cochez la case pour confirmer l'opposition."},
    )


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Incident", choices=IncidentKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type d'incident."},
    )
    new_address = forms.CharField(
        label="Nouvelle adresse de livraison", required=False, max_length=500,
        help_text="Seulement pour un changement d'adresse (F504), avant l'expédition de la carte.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HolderForm(forms.Form):
    last_name = forms.CharField(label="Nom", max_length=100)
    first_names = forms.CharField(label="Prénoms", max_length=150)
    title = forms.CharField(label="Fonction", max_length=120, required=False)


class ActivationForm(forms.Form):
    """The holder's codes: never rendered back, never remembered by the browser."""

    _pin_attrs = {"autocomplete": "off", "inputmode": "numeric", "maxlength": "8"}
    pin = forms.CharField(
        label="Code porteur", help_text="De 4 à 8 chiffres, ni suite ni chiffre répété.", max_length=8, strip=False,
        widget=forms.PasswordInput(attrs=_pin_attrs, render_value=False),
    )
    pin_confirmation = forms.CharField(
        label="Confirmation du code porteur", max_length=8, strip=False,
        widget=forms.PasswordInput(attrs=_pin_attrs, render_value=False),
    )


class StaffLineForm(forms.Form):
    last_name = forms.CharField(label="Nom", max_length=100)
    first_names = forms.CharField(label="Prénoms", max_length=150)
    email = forms.EmailField(label="Courriel", help_text="Format attendu : nom@domaine.fr")
    title = forms.CharField(label="Fonction", max_length=120)
    delivery_address = forms.CharField(
        label="Adresse de livraison", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    establishments = forms.MultipleChoiceField(
        label="Établissements habilités", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Aucun coché : l'entité juridique elle-même.",
    )
    make_mandataire = forms.BooleanField(label="Désigner cette personne mandataire", required=False)

    def __init__(self, *args, sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishments"].choices = [(str(site.pk), site.name) for site in sites]

    def line(self) -> dict:
        return dict(self.cleaned_data)


class BaseStaffLineFormSet(forms.BaseFormSet):
    """Every line is new: a blank line (added, then left empty) is skipped, not an error; with no line
    filled the form says so once. Lines typed before "add" or "remove a line" come back as `initial`."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Renseignez au moins une personne à équiper.",
        "too_many_forms": "Une F301 compte au plus %(num)d personnes : déposez-en une autre pour les suivantes.",
    }

    def initial_form_count(self):
        return 0

    def _construct_form(self, i, **kwargs):
        # Even the first line may stay blank: the formset's minimum speaks for it, not five
        # "required" errors on an untouched line.
        return super()._construct_form(i, empty_permitted=True, use_required_attribute=False, **kwargs)

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return min(max(len(self.initial or []), self.min_num) + self.extra, self.max_num)

    def lines(self) -> list[dict]:
        return [form.line() for form in self.forms if form.has_changed() and form.cleaned_data]


StaffLineFormSet = forms.formset_factory(
    StaffLineForm, formset=BaseStaffLineFormSet, extra=0, min_num=1, validate_min=True, max_num=50,
    validate_max=True,
)


class F414Form(forms.Form):
    family = forms.ChoiceField(label="Type de carte", choices=_blank("Choisissez un type", CardFamily.choices))
    quantity = forms.IntegerField(label="Nombre de cartes", min_value=1, max_value=20, initial=1)
    delivery_address = forms.CharField(
        label="Adresse de livraison", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif ou message", required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))

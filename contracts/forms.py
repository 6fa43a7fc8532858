import re

from django import forms

from esms_portal.core.identifiers import compact, finess_is_valid, siret_is_valid

from .services import ANOMALY_FIELDS

# What a FINESS number looks like before its key is checked: 9 characters, Corsica 2A/2B and the
# ANS test series 0B carry a letter in position 2 (REFERENCE.md section 1).
FINESS_LOOKALIKE = re.compile(r"^[0-9][0-9AB][0-9]{7}$")


class StructureSearchForm(forms.Form):
    q = forms.CharField(
        label="Numéro FINESS, SIRET ou nom de la structure",
        help_text="Exemples : 010780054, 73282932000074, EHPAD Les Tilleuls",
        min_length=2,
        max_length=120,
        error_messages={
            "required": "Saisissez un numéro FINESS, un SIRET ou un nom.",
            "min_length": "Saisissez au moins 2 caractères.",
        },
    )

    def clean_q(self):
        """The query as selector filters; a FINESS or SIRET with a wrong key is refused (R-FIN-1)."""
        raw = self.cleaned_data["q"].strip()
        number = compact(raw)
        if FINESS_LOOKALIKE.match(number):
            if not finess_is_valid(number):
                raise forms.ValidationError(
                    "Le numéro FINESS %(number)s est invalide : sa clé de contrôle "
                    "(dernier chiffre) ne correspond pas. Vérifiez le numéro.",
                    code="invalid_finess",
                    params={"number": number},
                )
            return {"finess": number}
        if number.isdigit() and len(number) == 14:
            if not siret_is_valid(number):
                raise forms.ValidationError(
                    "Le numéro SIRET %(number)s est invalide : sa clé de contrôle ne correspond pas.",
                    code="invalid_siret",
                    params={"number": number},
                )
            return {"siret": number}
        if number.isdigit() or FINESS_LOOKALIKE.match(number.ljust(9, "0")):
            return {"finess_prefix": number}  # the beginning of a number
        return {"q": raw}


class AnomalyReportForm(forms.Form):
    field = forms.ChoiceField(
        label="Donnée FINESS concernée",
        choices=[("", "Sélectionnez une donnée"), *ANOMALY_FIELDS.items()],
        error_messages={"required": "Choisissez la donnée FINESS concernée."},
    )
    description = forms.CharField(
        label="Description de l'anomalie",
        help_text="Indiquez la valeur actuelle et la valeur correcte.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Décrivez l'anomalie constatée."},
    )

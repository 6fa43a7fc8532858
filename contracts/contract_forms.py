from django import forms

from .models import Contract, ProofKind
from .services import EDITABLE_FIELDS


class ContractForm(forms.ModelForm):
    """The legal representative's part of the contract (R-CON-4, R-CON-7)."""

    cgu_accepted = forms.BooleanField(
        label="J'accepte les conditions générales d'utilisation des services socles de l'ANS",
        required=False,
    )
    proof = forms.FileField(
        label="Justificatif (PDF, 5 Mo au plus)",
        help_text="Acte de nomination ou délégation de pouvoir du directeur, si le directeur demande la carte.",
        required=False,
    )

    class Meta:
        model = Contract
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "capacity": forms.RadioSelect,
            "card_arrangement": forms.RadioSelect,
            "proof_kind": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cgu_accepted"].initial = bool(self.instance.cgu_accepted_at)
        for name in ("capacity", "card_arrangement", "proof_kind"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
            self.fields[name].required = False
        self.fields["proof_kind"].choices = ProofKind.choices

    def contract_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}



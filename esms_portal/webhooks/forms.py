from django import forms

from esms_portal.webhooks import registry


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label="Adresse de réception", max_length=500,
        help_text="Adresse https de votre logiciel, qui reçoit chaque événement par une requête POST "
                  "(ex. https://dui.mon-esms.fr/webhooks/portail).",
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    description = forms.CharField(label="Description", max_length=200, required=False,
                                  help_text="Facultatif : le logiciel ou l'usage de cet abonnement.")
    event_types = forms.MultipleChoiceField(label="Événements envoyés", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = registry.choices()
        self.fields["event_types"].choices = choices
        self.fields["event_types"].initial = [value for value, _ in choices]

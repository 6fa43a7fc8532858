"""« Mot de passe oublié » (Django's reset): the owner of an account asks for a link by email.

The answer is the same whether an account has that address or not; the link is Django's single-use
reset token (core.accounts.password_reset_link), opening the page where the password is chosen;
requests are counted by esms_portal.auth.send_limits (per email and per client address).
"""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from esms_portal.core import notify
from esms_portal.core.accounts import password_reset_link

from . import send_limits

SEND_GROUP = "password-reset"


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique", max_length=254, help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if "email" in cleaned:
            try:
                send_limits.check_and_count(self.request, group=SEND_GROUP, recipients=[cleaned["email"]])
            except send_limits.TooManyMessages as refusal:
                raise forms.ValidationError(refusal.message, code=refusal.code) from None
        return cleaned

    def save(self) -> None:
        """Mails the link to the active account of that address, if there is one (with or without a
        password yet: a person who lost his first link asks here too)."""
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if user is None:
            return
        notify.mail_on_commit(
            to=[user.email], subject="Portail ESMS : choisir un nouveau mot de passe",
            template="registration/mail/password_reset.txt", context={"link": password_reset_link(user)},
        )


@method_decorator(never_cache, name="dispatch")
class PasswordResetRequestView(FormView):
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset.html"
    success_url = reverse_lazy("password-reset-sent")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        form.save()
        return super().form_valid(form)


class PasswordResetSentView(TemplateView):
    template_name = "registration/password_reset_sent.html"

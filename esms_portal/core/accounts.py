"""Accounts created for someone else (staff named in an F301, a director under R-CON-7) have no
password: the first mail they receive carries a one-time link to choose one (Django's reset
tokens: single use, invalid once the password changes, expiring after PASSWORD_RESET_TIMEOUT)."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def account_for(email: str, *, first_name: str = "", last_name: str = ""):
    """The account of `email`, created without a password when the person has none yet."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        email=email.lower(), defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def password_reset_link(user) -> str:
    """The path of the page where `user` chooses a new password: single use (the token depends on
    the current password), valid PASSWORD_RESET_TIMEOUT."""
    return reverse("password-set", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                         default_token_generator.make_token(user)])


def password_link(user) -> str:
    """The path of the page where `user` chooses his password, or "" when he already has one."""
    if user.password and user.has_usable_password():  # "" (created by get_or_create) opens nothing
        return ""
    return password_reset_link(user)


class PasswordChoiceForm(SetPasswordForm):
    new_password1 = forms.CharField(
        label="Mot de passe", strip=False, help_text="12 caractères au moins, pas seulement des chiffres.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Confirmation du mot de passe", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    error_messages = {"password_mismatch": "Les deux mots de passe diffèrent."}


class PasswordSetView(auth_views.PasswordResetConfirmView):
    form_class = PasswordChoiceForm
    template_name = "registration/password_set.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        from axes.utils import reset
        from django.contrib import messages

        messages.success(self.request, "Votre mot de passe est enregistré : connectez-vous.")
        response = super().form_valid(form)
        reset(username=self.user.email.lower())  # the owner proved his mailbox: his login is unlocked
        return response

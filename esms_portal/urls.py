from django.contrib import admin
from django.urls import include, path

from esms_portal import api_docs, api_index, health, site_pages, views
from esms_portal.auth import api_auth, passkeys, password_reset, psc_views
from esms_portal.backoffice import bulk_api
from esms_portal.core import accounts
from esms_portal.dialogue import attestation_views
from esms_portal.dialogue.api import dialogue_urls
from esms_portal.onboarding import api as onboarding_api
from esms_portal.workflow import state_views
from esms_portal.workflow.form_api import form_urls

# Before `admin.site.urls` below reads it: the admin's own login form would skip the agents' 2FA.
admin.site.login = views.admin_login

api_v1 = [
    path("", api_index.ApiIndexApi.as_view(), name="api-index"),
    path("auth/token/", api_auth.TokenObtainApi.as_view(), name="api-token"),
    path("onboarding/organisations/<uuid:pk>/", onboarding_api.OrganisationOnboardingApi.as_view(),
         name="api-onboarding"),
    path("onboarding/dashboard/", onboarding_api.OnboardingDashboardApi.as_view(), name="api-onboarding-dashboard"),
    path("onboarding/dashboard/charts/", onboarding_api.OnboardingChartsApi.as_view(),
         name="api-onboarding-dashboard-charts"),
    path("back-office/lots/", bulk_api.BulkJobsApi.as_view(), name="api-backoffice-bulk"),
    path("back-office/lots/<uuid:pk>/", bulk_api.BulkJobApi.as_view(), name="api-backoffice-bulk-job"),
    path("back-office/", include("esms_portal.backoffice.api_urls")),
    path("", include(form_urls())),  # every declared ANS form: list, filing, detail, acts
    path("", include(attestation_views.attestation_api_urls())),  # every declared type's decision attestation
    path("", include(dialogue_urls())),  # every declared request's conversation
]

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-espace/", views.my_space, name="my_space"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.two_factor_code, name="two-factor-code"),
    path("connexion/code/enrolement/", views.two_factor_enrol, name="two-factor-enrol"),
    path("connexion/cle-d-acces/", include([
        path("enrolement/debut/", passkeys.PendingRegistrationBegin.as_view(), name="passkey-enrol-begin"),
        path("enrolement/fin/", passkeys.PendingRegistrationComplete.as_view(), name="passkey-enrol-complete"),
        path("connexion/debut/", passkeys.PendingAuthenticationBegin.as_view(), name="passkey-login-begin"),
        path("connexion/fin/", passkeys.PendingAuthenticationComplete.as_view(), name="passkey-login-complete"),
    ])),
    path("connexion/codes-de-secours/", views.backup_codes, name="backup-codes"),
    path("compte/double-authentification/", views.two_factor_account, name="two-factor-account"),
    path("compte/double-authentification/codes-de-secours/", views.backup_codes_renew, name="backup-codes-renew"),
    # django-otp-webauthn's own views (adding a passkey once logged in) and its scripts' translations.
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("compte/mot-de-passe-oublie/", password_reset.PasswordResetRequestView.as_view(), name="password-reset"),
    path("compte/mot-de-passe-oublie/envoye/", password_reset.PasswordResetSentView.as_view(),
         name="password-reset-sent"),
    path("compte/mot-de-passe/<uidb64>/<token>/", accounts.PasswordSetView.as_view(), name="password-set"),
    path("connexion/psc/", psc_views.psc_login, name="psc-login"),
    path("connexion/psc/retour/", psc_views.psc_callback, name="psc-callback"),
    path("deconnexion/", psc_views.LogoutView.as_view(), name="logout"),
    # Each app's pages and REST API, under the prefixes its urls.py names (structures/, cartes/...).
    path("", include("contracts.urls")),
    path("", include("cards.urls")),
    path("", include("certificates.urls")),
    path("", include("rpps_plus.urls")),
    path("", include("esms_portal.onboarding.urls")),
    path("", include("esms_portal.webhooks.urls")),
    path("", include("esms_portal.dialogue.urls")),
    path("back-office/", include("esms_portal.backoffice_urls")),
    path("pki/", include("esms_portal.pki.urls")),
    path("admin/", admin.site.urls),
    path("demandes/<slug:key>/<str:pk>/etat/", state_views.request_state, name="request-state"),
    path("compte/api/", views.api_access, name="api-access"),
    path("compte/api/<int:pk>/revoquer/", views.api_token_revoke, name="api-token-revoke"),
    path("accessibilite/", site_pages.accessibility, name="accessibility"),
    path("mentions-legales/", site_pages.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", site_pages.personal_data, name="personal-data"),
    path("gestion-des-cookies/", site_pages.cookies, name="cookies"),
    path("plan-du-site/", site_pages.site_map, name="site-map"),
    path("", include(attestation_views.page_urls())),  # decision attestations: verification, download
    path("api/v1/", include(api_v1)),
    path("api/schema/", api_docs.schema, name="schema"),
    path("api/schema/ui/", api_docs.swagger_ui, name="schema-ui"),
]

handler400 = "esms_portal.views.bad_request"
handler404 = "esms_portal.views.page_not_found"
handler500 = "esms_portal.views.server_error"

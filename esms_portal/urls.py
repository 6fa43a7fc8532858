from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from esms_portal import api_docs, api_index, health, site_pages, views
from esms_portal.auth import api_auth, password_reset
from esms_portal.core import accounts
from esms_portal.onboarding import api as onboarding_api
from esms_portal.workflow.form_api import form_urls

# Before `admin.site.urls` below reads it: the admin's own login form would skip the agents' 2FA.
admin.site.login = views.admin_login

api_v1 = [
    path("", api_index.ApiIndexApi.as_view(), name="api-index"),
    path("auth/token/", api_auth.TokenObtainApi.as_view(), name="api-token"),
    path("onboarding/organisations/<uuid:pk>/", onboarding_api.OrganisationOnboardingApi.as_view(),
         name="api-onboarding"),
    path("onboarding/dashboard/", onboarding_api.OnboardingDashboardApi.as_view(), name="api-onboarding-dashboard"),
    path("", include(form_urls())),  # every declared ANS form: list, filing, detail, acts
]

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-espace/", views.my_space, name="my_space"),
    path("healthz", health.healthz, name="healthz"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("connexion/code/", views.two_factor_code, name="two-factor-code"),
    path("connexion/code/enrolement/", views.two_factor_enrol, name="two-factor-enrol"),
    path("compte/mot-de-passe-oublie/", password_reset.PasswordResetRequestView.as_view(), name="password-reset"),
    path("compte/mot-de-passe-oublie/envoye/", password_reset.PasswordResetSentView.as_view(),
         name="password-reset-sent"),
    path("compte/mot-de-passe/<uidb64>/<token>/", accounts.PasswordSetView.as_view(), name="password-set"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    # Each app's pages and REST API, under the prefixes its urls.py names (structures/, cartes/...).
    path("", include("contracts.urls")),
    path("", include("cards.urls")),
    path("", include("certificates.urls")),
    path("", include("rpps_plus.urls")),
    path("", include("esms_portal.onboarding.urls")),
    path("back-office/", include("esms_portal.backoffice_urls")),
    path("pki/", include("esms_portal.pki.urls")),
    path("admin/", admin.site.urls),
    path("compte/api/", views.api_access, name="api-access"),
    path("compte/api/<int:pk>/revoquer/", views.api_token_revoke, name="api-token-revoke"),
    path("accessibilite/", site_pages.accessibility, name="accessibility"),
    path("mentions-legales/", site_pages.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", site_pages.personal_data, name="personal-data"),
    path("gestion-des-cookies/", site_pages.cookies, name="cookies"),
    path("plan-du-site/", site_pages.site_map, name="site-map"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", api_docs.schema, name="schema"),
    path("api/schema/ui/", api_docs.swagger_ui, name="schema-ui"),
]

handler400 = "esms_portal.views.bad_request"
handler404 = "esms_portal.views.page_not_found"
handler500 = "esms_portal.views.server_error"

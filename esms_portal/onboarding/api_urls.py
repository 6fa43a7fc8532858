from django.urls import path

from esms_portal.onboarding import api

urlpatterns = [
    path("onboarding/organisations/<uuid:pk>/", api.OrganisationOnboardingApi.as_view(), name="api-onboarding"),
    path("onboarding/dashboard/", api.OnboardingDashboardApi.as_view(), name="api-onboarding-dashboard"),
]

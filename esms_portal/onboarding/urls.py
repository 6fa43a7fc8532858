"""The routes of the onboarding tracker: the organisation's pages (namespace `onboarding`) and its API."""

from django.urls import include, path

from esms_portal.onboarding import api, views

pages = [
    path("<uuid:pk>/", views.timeline, name="timeline"),
    path("<uuid:pk>/frise.svg", views.timeline_svg, name="svg"),
    path("<uuid:pk>/calendrier.ics", views.timeline_ics, name="ics"),
    path("<uuid:pk>/services-socles/", views.declaration_edit, name="declaration"),
]
api_v1 = [
    path("onboarding/organisations/<uuid:pk>/", api.OrganisationOnboardingApi.as_view(), name="api-onboarding"),
    path("onboarding/dashboard/", api.OnboardingDashboardApi.as_view(), name="api-onboarding-dashboard"),
]
urlpatterns = [
    path("embarquement/", include((pages, "onboarding"))),
    path("api/v1/", include(api_v1)),
]

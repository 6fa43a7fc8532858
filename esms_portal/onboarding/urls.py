"""The pages of the onboarding tracker (namespace `onboarding`); its API is in the root table."""

from django.urls import include, path

from esms_portal.onboarding import views

pages = [
    path("<uuid:pk>/", views.timeline, name="timeline"),
    path("<uuid:pk>/frise.svg", views.timeline_svg, name="svg"),
    path("<uuid:pk>/calendrier.ics", views.timeline_ics, name="ics"),
    path("<uuid:pk>/services-socles/", views.declaration_edit, name="declaration"),
]
urlpatterns = [path("embarquement/", include((pages, "onboarding")))]

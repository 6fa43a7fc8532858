from django.urls import path

from esms_portal.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("<uuid:pk>/", views.timeline, name="timeline"),
    path("<uuid:pk>/frise.svg", views.timeline_svg, name="svg"),
    path("<uuid:pk>/calendrier.ics", views.timeline_ics, name="ics"),
    path("<uuid:pk>/services-socles/", views.declaration_edit, name="declaration"),
]

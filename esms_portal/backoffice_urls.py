"""Back office of ANS agents: every app's instruction pages plug in here."""

from django.urls import path

from esms_portal.backoffice import bulk_views
from esms_portal.onboarding.dashboard_views import dashboard as onboarding_dashboard
from esms_portal.steps import views as steps_views
from esms_portal.workflow import backoffice_views

app_name = "backoffice"
urlpatterns = [
    path("", backoffice_views.instruction_queue, name="queue"),
    path("instruction/<slug:key>/", backoffice_views.instruction_queue, name="queue_of"),
    path("etapes/", steps_views.steps_board, name="steps_board"),
    path("embarquement/", onboarding_dashboard, name="onboarding"),
    path("etapes/<int:pk>/relancer/", steps_views.step_retry, name="step_retry"),
    path("lot/", bulk_views.bulk_start, name="bulk"),
    path("lot/<uuid:pk>/", bulk_views.bulk_job, name="bulk_job"),
]

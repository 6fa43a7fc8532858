"""Back office of ANS agents: every app's instruction pages plug in here."""

from django.urls import path

from esms_portal.backoffice import bulk_views, export_views, label_views
from esms_portal.backoffice import views as backoffice_views
from esms_portal.onboarding.dashboard_views import dashboard as onboarding_dashboard
from esms_portal.steps import views as steps_views

app_name = "backoffice"
urlpatterns = [
    path("", backoffice_views.queue, name="queue"),
    path("compteurs/", backoffice_views.queue_counts, name="counts"),
    path("export/", export_views.export_page, name="export"),
    path("export/<uuid:pk>/", export_views.export_job, name="export_job"),
    path("export/<uuid:pk>/fichier/", export_views.export_file, name="export_file"),
    path("etiquettes/", label_views.labels, name="labels"),
    path("etiquettes/<int:pk>/", label_views.label_change, name="label_change"),
    path("etiquettes/<int:pk>/supprimer/", label_views.label_delete, name="label_delete"),
    path("instruction/<slug:key>/", backoffice_views.legacy_queue, name="queue_of"),
    path("dossiers/<str:ref>/prendre/", backoffice_views.case_take, name="case_take"),
    path("dossiers/<str:ref>/rendre/", backoffice_views.case_release, name="case_release"),
    path("dossiers/<str:ref>/suivre/", backoffice_views.case_follow, name="case_follow"),
    path("dossiers/<str:ref>/confier/", backoffice_views.case_assign, name="case_assign"),
    path("dossiers/<str:ref>/etiquettes/", backoffice_views.case_labels, name="case_labels"),
    path("dossiers/<str:ref>/annotations/", backoffice_views.case_note, name="case_note"),
    path("etapes/", steps_views.steps_board, name="steps_board"),
    path("embarquement/", onboarding_dashboard, name="onboarding"),
    path("etapes/<int:pk>/relancer/", steps_views.step_retry, name="step_retry"),
    path("lot/", bulk_views.bulk_start, name="bulk"),
    path("lot/<uuid:pk>/", bulk_views.bulk_job, name="bulk_job"),
]

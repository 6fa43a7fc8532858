"""Pages of the exports: the column chooser; a small export streams from the request, a large one
(export_jobs) is prepared by a worker while the page « Export en préparation » follows it (htmx),
then offers its file to the agent who asked it (anyone else: 404)."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from esms_portal.backoffice import export_jobs, exports
from esms_portal.backoffice.queue import QueueFilters
from esms_portal.backoffice.views import agents_only
from esms_portal.core.errors import PortalError
from esms_portal.core.live import fragment
from esms_portal.models import Label


@agents_only
def export_page(request):
    filters_form = QueueFilters(request.GET or None, labels=list(Label.objects.all()))
    filters = filters_form.values()
    form = exports.ExportForm(request.GET if "format" in request.GET else None)
    if form.is_valid():
        columns, file_format = form.cleaned_data["columns"], form.cleaned_data["format"]
        if export_jobs.is_large(filters, request.user):
            job = export_jobs.export_submit(filters, request.user, columns, file_format)
            return redirect("backoffice:export_job", pk=job.pk)
        return exports.export(filters, request.user, columns, file_format)
    kept = [(name, value) for name, values in request.GET.lists() if name not in ("format", "columns", "cursor")
            for value in values]
    context = {"form": form, "kept": kept, "filters_form": filters_form,
               "background_over": f"{settings.PORTAL_EXPORT_BACKGROUND_OVER:,}".replace(",", "\u202f")}
    return render(request, "backoffice/export.html", context)


@agents_only
@require_GET
def export_job(request, pk):
    """« Export en préparation »; an htmx request gets the status part only, 286 once it is final."""
    job = export_jobs.job_get_for_agent(request.user, pk)
    context = {"job": job, "final": job.state in export_jobs.FINAL}
    if request.htmx:
        return fragment(request, "backoffice/includes/export_job_status.html", context, final=context["final"])
    return render(request, "backoffice/export_job.html", context)


@agents_only
@require_GET
def export_file(request, pk):
    job = export_jobs.job_get_for_agent(request.user, pk)
    try:
        return export_jobs.file_response(job)
    except PortalError:  # not ready yet, or failed: the page says which
        return redirect("backoffice:export_job", pk=job.pk)

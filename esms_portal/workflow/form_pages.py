"""The pages every declared ANS form shares (esms_portal.workflow.declarations.FormType): its filing
page, read from its declaration (`PageForm`, `filing_template`, `filed_message`), and the routes of
its pages, which each app names in its urls.py once for all its forms."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path

from esms_portal.core.forms import submit_posted
from esms_portal.workflow.declarations import FormType, form_types


def filing_page(request, form_type: FormType, organisation):
    """File the form for `organisation` from its page form, then show the filed form's page."""
    bound = request.POST if request.method == "POST" else None
    form = form_type.PageForm(bound, **form_type.page_form_kwargs(organisation))
    filed = submit_posted(request, form, form_type.filing, values=_service_arguments, actor=request.user,
                          organisation=organisation)
    if filed is not None:
        messages.success(request, form_type.filed_message)
        return redirect(form_type.detail_url, pk=filed.pk)
    context = {"form": form, "organisation": organisation, **form_type.page_context(organisation)}
    return render(request, form_type.filing_template, context)


def _service_arguments(form) -> dict:
    arguments = getattr(form, "service_arguments", None)
    return arguments() if arguments is not None else form.cleaned_data


def form_page_urls(app_label: str, *, new: tuple, detail: tuple) -> list:
    """The filing and detail routes of an app's declared forms: `new` and `detail` are (route with a
    `{key}` slot, view taking `key`); the URL names are `<key>_new` and `<key>_detail`."""
    (new_route, new_view), (detail_route, detail_view) = new, detail
    patterns = []
    for form_type in form_types(app_label):
        key = form_type.key
        if form_type.PageForm is not None:
            patterns.append(path(new_route.format(key=key), new_view, {"key": key}, name=f"{key}_new"))
        patterns.append(path(detail_route.format(key=key), detail_view, {"key": key}, name=f"{key}_detail"))
    return patterns

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def structure_detail(request, pk):
    structure = selectors.structure_get_for_user(request.user, pk)
    sites = selectors.sites_of(structure)
    return render(request, "contracts/structure_detail.html", {"structure": structure, "sites": sites})

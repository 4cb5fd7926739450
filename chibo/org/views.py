from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from chibo.core import access


@login_required
def tree(request):
    return HttpResponse("tree")


@login_required
def unit_detail(request, pk):
    access.get_unit_for(request.user, pk)
    return HttpResponse("unit")

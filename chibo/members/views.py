from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from chibo.core import access


@login_required
def member_list(request):
    return HttpResponse("list")


@login_required
def member_detail(request, pk):
    access.get_member_for(request.user, pk)
    return HttpResponse("member")

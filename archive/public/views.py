from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html")


def testimony(request: HttpRequest, reference: str) -> HttpResponse:
    # The testimony page is being built; until then no testimony is shown.
    raise Http404

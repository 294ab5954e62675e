"""OAI-PMH 2.0 for harvesters, at /oai/."""

from django.http import Http404, HttpRequest, HttpResponse


def endpoint(request: HttpRequest) -> HttpResponse:
    raise Http404

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_the_archive_name_and_a_labelled_search_box(anonymous):
    response = anonymous.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Testimony Archive</h1>" in page
    assert '<label for="q">' in page
    assert 'name="q"' in page
    assert 'role="search"' in page


def test_it_serves_the_stylesheet_from_our_own_host(anonymous):
    page = anonymous.get(reverse("home")).content.decode()
    assert 'href="/static/css/site.css"' in page
    assert "https://" not in page

"""Token clients of the API leave no session rows behind; people in a browser keep theirs."""

import pytest
from django.contrib.sessions.models import Session
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client


def test_a_token_authenticated_write_creates_no_session(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    token = Token.objects.create(user=officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for _ in range(3):
        client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, format="json")
        client.patch("/api/v1/units/999999/", {"name": "x"}, format="json")
    assert Session.objects.count() == 0


def test_a_browser_session_still_remembers_its_last_write(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    client = web_client(officer)
    client.post("/structure-date/", {"as_of": "2025-06-30"})
    session = Session.objects.get()
    assert "last_write" in session.get_decoded()


@pytest.mark.parametrize("target", ["NaN", "1e309", "a\x00b", "//evil.example/", ""])
def test_changing_the_structure_date_returns_only_to_a_page_of_this_site(tree, target):
    """A `next` that is not a path was taken for a view name by redirect() and crashed (NoReverseMatch)."""
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    response = client.post("/structure-date/", {"as_of": "2025-06-30", "next": target})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.post("/structure-date/", {"next": "/units/"})["Location"] == "/units/"

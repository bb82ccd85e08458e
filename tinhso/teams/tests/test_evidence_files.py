"""Evidence photos are read only through the activity's scope: the file's stored name is unguessable and the
old blanket /media/ route no longer hands any logged-in person any file."""

import datetime

from tinhso.accounts.testing import make_user
from tinhso.core.testing import fallback_file_name, saved_file_name, web_client

from .conftest import record
from .test_activities import photo

DAY = datetime.date(2024, 11, 2)


def stored_evidence(world, name="anh-hop-thon.png"):
    activity, _ = record(world.khe_dua, DAY, files=[photo(name)])
    return activity.evidence.get()


def test_an_officer_of_the_commune_sees_the_evidence_and_a_citizen_gets_404(world, tree):
    evidence = stored_evidence(world)
    url = f"/teams/evidence/{evidence.pk}/"
    assert web_client(make_user("commune_officer", tree.xuan_ai)).get(url).status_code == 200
    assert web_client(make_user("citizen", tree.xuan_ai)).get(url).status_code == 404
    assert web_client(make_user("commune_officer", tree.khanh_hoa)).get(url).status_code == 404


def test_the_stored_file_is_not_reachable_by_its_name(world, tree):
    evidence = stored_evidence(world)
    assert "anh-hop-thon" not in evidence.file.name
    assert len(evidence.file.name.rsplit("/", 1)[-1]) >= 32
    citizen = web_client(make_user("citizen", tree.xuan_ai))
    assert citizen.get(f"/media/{evidence.file.name}").status_code == 404


def test_nginx_sends_the_bytes_when_a_protected_location_is_configured(world, tree, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    evidence = stored_evidence(world)
    response = web_client(make_user("commune_officer", tree.xuan_ai)).get(f"/teams/evidence/{evidence.pk}/")
    assert response["X-Accel-Redirect"] == f"/protected-media/{evidence.file.name}"
    assert response.content == b""


def test_the_evidence_opens_under_the_name_it_was_uploaded_with(world, tree):
    evidence = stored_evidence(world, "Ảnh họp thôn Khe Dứa.png")
    response = web_client(make_user("commune_officer", tree.xuan_ai)).get(f"/teams/evidence/{evidence.pk}/")
    assert response["Content-Disposition"].startswith("inline;")
    assert saved_file_name(response) == "Ảnh họp thôn Khe Dứa.png"
    assert fallback_file_name(response) == "Anh hop thon Khe Dua.png"

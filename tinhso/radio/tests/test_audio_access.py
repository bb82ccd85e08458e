"""A bulletin's audio is heard only within scope: by people through the bulletin, by devices it was delivered
to, and by API clients with their token through the URL the API gives (never a redirect to the login page)."""

import hashlib

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client

from .test_broadcast import basic, send


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_an_api_client_fetches_the_audio_url_it_was_given_with_its_token(radio):
    bulletin = send(radio)
    client = token_client(radio.officer)
    audio_url = client.get(f"/api/v1/radio/bulletins/{bulletin.pk}/").json()["audio_url"]
    response = client.get(audio_url)
    assert response.status_code == 200 and response["Content-Type"] == "audio/ogg"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == bulletin.audio_sha256
    assert token_client(radio.officer).get(audio_url, HTTP_ACCEPT="audio/ogg").status_code == 200


def test_the_audio_url_refuses_clients_out_of_scope_or_without_a_token(radio, tree):
    bulletin = send(radio)
    audio_url = f"/api/v1/radio/bulletins/{bulletin.pk}/audio/"
    assert APIClient().get(audio_url).status_code == 401
    assert token_client(make_user("commune_officer", tree.new_khanh_hoa)).get(audio_url).status_code == 404


def test_a_citizen_gets_404_on_audio_and_the_media_folder_is_gone(radio):
    bulletin = send(radio)
    citizen = web_client(make_user("citizen", radio.tree.new_khanh_hoa))
    assert citizen.get(bulletin.audio_url).status_code == 404
    assert citizen.get(f"/media/radio/audio/{bulletin.audio_sha256}.ogg").status_code == 404
    assert web_client(radio.officer).get(bulletin.audio_url).status_code == 200


def test_speakers_still_download_their_audio_with_device_credentials(radio):
    from django.test import Client

    bulletin = send(radio)
    response = Client().get(f"/radio/device/audio/{bulletin.audio_sha256}.ogg", **basic(radio.khe_dua_1))
    assert response.status_code == 200

"""Helpers for tests of every module: clients, and the permission matrix (tinhso.core.testing.matrix).

Builders of units and users live with their apps: tinhso.units.testing (build_unit_tree, make_unit)
and tinhso.accounts.testing (make_user), so that core imports no other app of tinhso.
"""

from django.test import Client
from rest_framework.test import APIClient


def web_client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client

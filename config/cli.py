"""`tinhso <command>`: Django's management commands for an installed Tỉnh Số (the image and the systemd
units run this instead of manage.py, which only a checkout has)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

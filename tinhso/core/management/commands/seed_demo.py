import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from tinhso.core.context import acting_as
from tinhso.core.registry import demo


class Command(BaseCommand):
    help = "Load the demo province (Yên Bái before 1/7/2025, Lào Cai after) and its modules' data. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if units already exist.")
        parser.add_argument("--only", nargs="*", help="Seed only these parts (e.g. units users).")

    def handle(self, *args, if_empty=False, only=None, **options):
        if if_empty and demo.already_seeded():
            self.stdout.write("Dữ liệu đã có sẵn; bỏ qua nạp dữ liệu mẫu. (Demo data already present.)")
        else:
            with acting_as(None, source="seed_demo"):
                for part in demo.ordered():
                    if only and part.name not in only:
                        continue
                    started = time.monotonic()
                    with transaction.atomic():
                        part.seed(stdout=self.stdout)
                    self.stdout.write(f"  ✓ {part.name} ({time.monotonic() - started:.1f} s)")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nTài khoản mẫu (mật khẩu: {settings.DEMO_PASSWORD}) / demo logins:\n{demo.descriptions()}\n"
            )
        )

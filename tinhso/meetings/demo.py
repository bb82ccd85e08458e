"""Demo data of meetings (see demo_data.py)."""


def seed_meetings(stdout=None) -> None:
    from .demo_data import seed

    seed(stdout)


def seeded() -> bool:
    from .models import Body

    return Body.objects.exists()


def describe() -> str:
    return "  meetings: bithu.xuanai (secretary of Chi bộ thôn Khe Dứa), password as the other demo logins"

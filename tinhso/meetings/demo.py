"""Demo data of meetings (built in demo_data.py)."""


def seed_meetings(stdout=None) -> None:
    from .demo_data import seed

    seed(stdout)


def describe() -> str:
    return "  meetings: bithu.xuanai — secretary of a Xuân Ái party cell (Họp, sinh hoạt)"

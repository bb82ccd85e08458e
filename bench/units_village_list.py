"""The village list of the whole province: render time and query count.

Seeds the demo structure (Yên Bái: 9 districts, 173 communes, 1,356 villages; Lào Cai after the
reform) into a fresh database, then, as the province administrator, times:
- the list page of all villages of Yên Bái (first page of 50, with the count of 1,356),
- the same list exported to CSV (all 1,356 rows),
- the subtree query itself (all villages of the province, one query),
- the API GET /api/v1/units/?level=village&within=15 (page of 50),
and prints the number of SQL queries each costs.

Run: python -m bench.units_village_list   (PostgreSQL at BENCH_DATABASE_URL if reachable)
"""

import datetime
import io

from .common import count_queries, measure, report, setup_django


def main() -> None:
    url = setup_django("bench_units")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tinhso.accounts.models import User
    from tinhso.units.models import Unit

    call_command("seed_demo", "--only", "units", "users", verbosity=0, stdout=io.StringIO())
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    day = datetime.date(2024, 6, 1)
    province = Unit.objects.valid_on(day).get(code="15")
    villages = Unit.objects.filter(level="village").valid_on(day)
    total = villages.within(province).count()
    page = "/units/?level=village&within=15&as_of=2024-06-01"
    cases = [
        ("village list page (50 of all)", lambda: client.get(page)),
        ("village list CSV export (all rows)", lambda: client.get(page + "&export=csv")),
        ("API page of villages", lambda: client.get("/api/v1/units/?level=village&within=15&as_of=2024-06-01")),
        ("subtree query (all villages)", lambda: list(villages.within(province))),
    ]
    for title, action in cases:
        report(title, measure(action), villages=total, queries=count_queries(action))


if __name__ == "__main__":
    main()

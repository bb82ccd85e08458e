"""Citizen reports: submission throughput through the API, and the public reads over 100,000 reports.

python -m bench.feedback_api [--submissions 1000] [--reports 100000] [--reads 200]

In a fresh database (PostgreSQL when reachable), in-process (Django's test client, no network):
1. submissions: `submissions` reports, each with a 2,000 × 1,500 photo, sent to POST /api/v1/feedback/ by
   citizens, while the commune officer answers every fifth one through POST .../answer/; reports per
   minute, p50/p95 per submission, errors (must be 0) and the count in the database (no duplicate: every
   submission is sent twice with the same Idempotency-Key).
2. reads: `reports` reports over a year are written in bulk, then GET /phan-anh/ (public list, first page
   and a page deep in the list) and GET /open311/v2/requests.json (the default 90 days, 1,000 items) are
   timed `reads` times each: median and p95.
Server time only (no gunicorn, no network); the machine is shared, so the figures are a floor.
"""

import argparse
import datetime
import io
import os
import random
import statistics
import time
import uuid

from bench.common import percentile, setup_django


def world():
    from tinhso.accounts.testing import make_user
    from tinhso.core.context import acting_as
    from tinhso.feedback.models import ServiceCategory
    from tinhso.units.models import Organisation
    from tinhso.units.testing import make_unit

    province = make_unit(None, "15", "Lào Cai", "tinh")
    commune = make_unit(province, "04441", "Xuân Ái", "xa")
    villages = [make_unit(commune, f"04441-{n:02d}", f"Thôn {n}", "thon") for n in range(1, 11)]
    with acting_as(None, source="command"):
        office = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=commune)
        category = ServiceCategory.objects.create(unit=province, code="duong-hu-hong", name="Đường hư hỏng")
    officer = make_user("commune_officer", commune)
    citizens = [make_user("citizen", villages[n % 10]) for n in range(50)]
    return {"office": office, "category": category, "villages": villages, "officer": officer, "citizens": citizens}


def photo() -> bytes:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (2000, 1500), (120, 160, 90)).save(output, "JPEG", quality=85)
    return output.getvalue()


def submissions(data: dict, count: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.core.testing import api_client
    from tinhso.feedback.models import Report

    picture, latencies, errors, answered = photo(), [], 0, 0
    officer = api_client(data["officer"])
    began = time.perf_counter()
    for index in range(count):
        client = api_client(data["citizens"][index % len(data["citizens"])])
        key = str(uuid.uuid4())
        body = {
            "service": "duong-hu-hong",
            "place": data["villages"][index % 10].pk,
            "description": f"Phản ánh số {index}: đường hỏng.",
            "photos": [SimpleUploadedFile("anh.jpg", picture, content_type="image/jpeg")],
        }
        started = time.perf_counter()
        response = client.post("/api/v1/feedback/", body, headers={"Idempotency-Key": key})
        latencies.append((time.perf_counter() - started) * 1000)
        errors += response.status_code != 201
        body["photos"] = [SimpleUploadedFile("anh.jpg", picture, content_type="image/jpeg")]
        errors += client.post("/api/v1/feedback/", body, headers={"Idempotency-Key": key}).status_code != 200
        if index % 5 == 0 and response.status_code == 201:
            reply = officer.post(f"/api/v1/feedback/{response.json()['id']}/answer/", {"answer": "Đã xử lý."})
            errors += reply.status_code != 200
            answered += 1
    wall = time.perf_counter() - began
    return {
        "per_minute": count / wall * 60,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "errors": errors,
        "answered": answered,
        "in_database": Report.objects.count(),
    }


def bulk_reports(data: dict, count: int) -> None:
    """A year of reports written in bulk (the bench needs volume, not the write path's checks)."""
    from django.utils import timezone

    from tinhso.feedback.models import Report

    rng, now = random.Random(311), timezone.now()
    rows = []
    for index in range(count):
        sent = now - datetime.timedelta(minutes=rng.uniform(0, 365 * 24 * 60))
        answered = sent + datetime.timedelta(days=rng.uniform(1, 20)) if rng.random() < 0.8 else None
        rows.append(
            Report(
                service=data["category"],
                unit=data["office"].unit,
                routed_to=data["office"],
                place=data["villages"][index % 10],
                description=f"Phản ánh {index}",
                public_text=f"Phản ánh {index}",
                submitted_at=sent,
                deadline=(sent + datetime.timedelta(days=14)).date(),
                status="answered" if answered else "open",
                answer="Đã xử lý." if answered else "",
                answered_at=answered,
                contact_name="Người dân",
            )
        )
    Report.objects.bulk_create(rows, batch_size=5000)


def reads(count: int) -> dict:
    from django.core.cache import cache
    from django.test import Client

    from tinhso.feedback.models import Report
    from tinhso.feedback.public import _key

    client, results = Client(), {}
    middle = Report.objects.order_by("-submitted_at", "-id")[Report.objects.count() // 2]
    for name, path in (
        ("public list, page 1", "/phan-anh/"),
        ("public list, deep page (the middle, ?older=)", f"/phan-anh/?older={_key(middle)}"),
        ("open311 requests.json (kept in the cache)", "/open311/v2/requests.json"),
        ("open311 requests.json, built (cache cleared each time)", "/open311/v2/requests.json?built"),
    ):
        times = []
        for _ in range(count if "built" not in path else max(count // 10, 5)):
            if "built" in path:
                cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        results[name] = {"median_ms": statistics.median(times), "p95_ms": percentile(times, 0.95)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=200)
    arguments = parser.parse_args()
    for name, value in (
        ("SECRET_KEY", "bench-feedback-" + "x" * 40),
        ("DEBUG", "true"),  # static files unhashed: no collectstatic needed for an in-process bench
        ("SECURE_SSL_REDIRECT", "false"),
        ("ALLOWED_HOSTS", "testserver,127.0.0.1"),
        ("LOG_LEVEL", "WARNING"),
    ):
        os.environ.setdefault(name, value)
    database_url = setup_django("bench_feedback_api")
    print(f"database: {database_url.split('@')[-1]}")
    data = world()
    if arguments.submissions:
        sent = submissions(data, arguments.submissions)
        print(
            f"submissions with a photo: {arguments.submissions} (each sent twice), "
            f"{sent['answered']} answered meanwhile: "
            f"{sent['per_minute']:.0f}/min, p50 {sent['p50_ms']:.0f} ms, p95 {sent['p95_ms']:.0f} ms, "
            f"errors {sent['errors']}, reports in the database {sent['in_database']}"
        )
    bulk_reports(data, arguments.reports)
    from tinhso.feedback.models import Report

    print(f"reads over {Report.objects.count():,} reports ({arguments.reads} requests each):")
    for name, figures in reads(arguments.reads).items():
        print(f"  {name}: median {figures['median_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms")


if __name__ == "__main__":
    main()

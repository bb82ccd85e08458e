"""Background work of meetings, watched on /jobs/<id>/."""

import datetime

from tinhso.core.jobs import job_handler
from tinhso.units.models import Unit

from . import services


@job_handler(services.BODIES_NOTICE_JOB)
def notify_bodies_job(job, progress) -> dict:
    parameters = job.parameters
    data = services.MeetingData(
        title=parameters["title"],
        starts_at=datetime.datetime.fromisoformat(parameters["starts_at"]),
        ends_at=datetime.datetime.fromisoformat(parameters["ends_at"]),
        place=parameters.get("place", ""),
        online_link=parameters.get("online_link", ""),
        mode=parameters.get("mode", "in_person"),
    )
    unit = Unit.objects.get(pk=parameters["unit"])
    return services.notify_bodies(
        actor=job.created_by, unit=unit, kind=parameters["kind"], data=data, progress=progress
    )

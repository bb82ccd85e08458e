"""Background work of the teams module, watched on /jobs/<id>/."""

from django.utils.translation import gettext as _

from tinhso.core.jobs import job_handler

from . import services
from .importers.members import import_members


@job_handler("teams.import_members")
def import_members_job(job, progress) -> dict:
    with job.input_file.open("rb") as uploaded:
        uploaded.name = job.input_file.name
        return import_members(uploaded, actor=job.created_by, progress=progress)


@job_handler("teams.evaluate")
def evaluate_job(job, progress) -> dict:
    level, period = job.parameters["level"], job.parameters["period"]
    progress(0, 1, _("Scoring the teams…"))
    evaluations = services.evaluate_teams(level, period, actor=job.created_by)
    progress(1, 1, "")
    return {"evaluated": len(evaluations), "message": _("%(count)d teams scored.") % {"count": len(evaluations)}}

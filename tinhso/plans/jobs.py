"""Background jobs of the plans module: importing a DHIS2 data value file with progress."""

from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError
from tinhso.core.jobs import job_handler

from . import exchange, services


def read_rows(name: str, raw: bytes) -> tuple[list, str]:
    """Rows of a JSON or CSV dataValueSet file, and its data set code."""
    if name.lower().endswith(".json") or raw.lstrip()[:1] in (b"{", b"["):
        return exchange.read_json(raw)
    return exchange.read_csv(raw), ""


@job_handler("plans.import_data_values")
def import_data_values_job(job, progress) -> dict:
    with job.input_file.open("rb") as handle:
        rows, data_set = read_rows(job.input_file.name, handle.read())
    progress(0, len(rows), _("Checking %(count)d values…") % {"count": len(rows)})
    options = job.parameters
    summary = services.import_data_values(
        rows,
        actor=job.created_by,
        strategy=options.get("strategy", "CREATE_AND_UPDATE"),
        dry_run=bool(options.get("dry_run")),
        atomic=bool(options.get("atomic", True)),
        data_set=data_set,
    )
    errors = [RowError(conflict.row, conflict.property, conflict.message) for conflict in summary.conflicts]
    if summary.status == "ERROR":
        raise ImportRejected(errors, details={"summary": summary.as_dict()})
    progress(len(rows), len(rows))
    counts = summary.counts
    message = _(
        "%(description)s Imported %(imported)d, updated %(updated)d, ignored %(ignored)d, deleted %(deleted)d."
    ) % {
        "description": summary.description,
        **counts,
    }
    return {"message": message, "summary": summary.as_dict(), "errors": [error.as_dict() for error in errors]}

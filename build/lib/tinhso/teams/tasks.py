"""Scheduled work: the draft scores of the current year follow the activities recorded each day."""

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tinhso.core.context import acting_as

from . import services
from .choices import TeamLevel

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="2", minute="40"))
def recompute_current_scores() -> None:
    period = str(timezone.localdate().year)
    with acting_as(None, source="schedule"):
        for level in TeamLevel.values:
            try:
                services.evaluate_teams(level, period, actor=None)
            except ValidationError as error:
                logger.info("Teams of level %s not scored for %s: %s", level, period, error.messages[0])

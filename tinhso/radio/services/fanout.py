"""A broadcast's rows for every target cluster, written by the database itself: one INSERT … SELECT per
occurrence for the deliveries, one for the outbox, whatever the number of clusters.

An emergency to every village of a province is 1,356 deliveries and 1,356 outbox rows. Built as model
instances, the request spent most of its CPU creating them and preparing their 1,356 × 12 values one by one
(bulk_create); here the rows come from the clusters' table, and the only per-target work in Python is per
unit (the commune's broadcasting order decides the rank, so a rank is a unit's, not a cluster's).
"""

from django.db import connection

from tinhso.units.models import Unit

from .. import chain
from ..models import CommuneRadioPolicy, Delivery, SpeakerCluster


def commune_first_by_unit(units) -> dict[int, bool]:
    """For each unit, whether its commune chose to play its own priority bulletins first (Circular 39)."""
    ancestor_ids = {pk for unit in units for pk in [*unit.ancestor_ids, unit.pk]}
    policies = dict(CommuneRadioPolicy.objects.filter(unit_id__in=ancestor_ids).values_list("unit_id", "commune_first"))
    return {
        unit.pk: next((policies[pk] for pk in reversed([*unit.ancestor_ids, unit.pk]) if pk in policies), False)
        for unit in units
    }


def insert_deliveries(targets, fields: dict, rank_for) -> int:
    """One delivery per cluster of `targets` (a SpeakerCluster queryset) with these `fields` (attribute
    names) and the rank `rank_for(commune_first)`; returns how many were written."""
    unit_ids = set(targets.order_by().values_list("unit_id", flat=True).distinct())
    first = commune_first_by_unit(Unit.objects.filter(pk__in=unit_ids).only("pk", "path"))
    firsts = sorted(pk for pk, yes in first.items() if yes)
    if firsts:
        marks = ", ".join(["%s"] * len(firsts))
        rank = (f"CASE WHEN c.unit_id IN ({marks}) THEN %s ELSE %s END", [*firsts, rank_for(True), rank_for(False)])
    else:
        rank = ("%s", [rank_for(False)])
    return _insert_select(Delivery, {**fields, "cluster_id": ("c.id", []), "rank": rank}, targets)


def _insert_select(model, fields: dict, targets) -> int:
    """INSERT INTO model's table one row per cluster of `targets`: each column its field's value in `fields`
    (a constant, or an (SQL, params) pair over the cluster `c`), else the field's default."""
    quote = connection.ops.quote_name
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(quote(field.column))
        value = fields[field.attname] if field.attname in fields else field.get_default()
        if isinstance(value, tuple):
            expressions.append(value[0])
            params += value[1]
        else:
            expressions.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    source, source_params = targets.order_by().values("pk").query.sql_with_params()
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
        f"SELECT {', '.join(expressions)} FROM {quote(SpeakerCluster._meta.db_table)} c "
        f"WHERE c.id IN ({source}) ORDER BY c.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *source_params])
        return cursor.rowcount


def rank_function(level: str, origin: str, position: int):
    return lambda commune_first: chain.rank_for(level, origin, commune_first=commune_first, position=position)

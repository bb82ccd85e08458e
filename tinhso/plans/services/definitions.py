"""Definitions the DX centre maintains for the whole province: data elements, data sets (with their
members and validation rules) and indicators. They belong to no unit: the permission is checked by
name. Definitions in use are switched off, never deleted; a data set's members and rules may be."""

from django.db import transaction

from tinhso.core.permissions import require

from ..models import DataElement, DataSet, DataSetElement, Indicator, ValidationRule

DEFINITIONS = (DataElement, DataSet, Indicator)
PARTS_OF_DATA_SET = (DataSetElement, ValidationRule)


def _permission(definition, action: str) -> str:
    opts = definition._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


@transaction.atomic
def save_definition(definition, *, actor):
    """Create or change a data element, data set or indicator (formulas and ranges checked by clean())."""
    if not isinstance(definition, DEFINITIONS):
        raise TypeError(f"not a plans definition: {type(definition).__name__}")
    require(actor, _permission(definition, "change" if definition.pk else "add"))
    definition.full_clean()
    definition.save()
    return definition


@transaction.atomic
def save_data_set_part(part, *, actor):
    """A data set's member element or validation rule: changing it is changing the data set."""
    if not isinstance(part, PARTS_OF_DATA_SET):
        raise TypeError(f"not a part of a data set: {type(part).__name__}")
    require(actor, "plans.change_dataset")
    part.full_clean()
    part.save()
    return part


@transaction.atomic
def remove_data_set_part(part, *, actor) -> None:
    if not isinstance(part, PARTS_OF_DATA_SET):
        raise TypeError(f"not a part of a data set: {type(part).__name__}")
    require(actor, "plans.change_dataset")
    part.delete()

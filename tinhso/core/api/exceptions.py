from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tinhso.core.imports import ImportRejected


def exception_handler(error, context):
    """Service errors become API errors: ValidationError → 400, PermissionDenied → 403,
    a rejected import → 400 with every bad row, a body over the upload limit → 413."""
    if isinstance(error, RequestDataTooBig):
        return too_large_response()
    if isinstance(error, ImportRejected):
        return Response({"detail": str(error), "errors": error.as_list()}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, DjangoValidationError):
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        error = exceptions.ValidationError(detail)
    elif isinstance(error, DjangoPermissionDenied):
        error = exceptions.PermissionDenied(str(error) or None)
    return drf_exception_handler(error, context)


def too_large_response() -> Response:
    from django.conf import settings

    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    detail = _("The request is larger than %(limit)s; send a smaller file.") % {"limit": limit}
    response = Response({"detail": detail}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    return response

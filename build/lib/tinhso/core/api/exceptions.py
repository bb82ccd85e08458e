from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tinhso.core.imports import ImportRejected


def exception_handler(error, context):
    """Service errors become API errors: ValidationError → 400, PermissionDenied → 403,
    a rejected import → 400 with every bad row."""
    if isinstance(error, ImportRejected):
        return Response({"detail": str(error), "errors": error.as_list()}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, DjangoValidationError):
        detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
        error = exceptions.ValidationError(detail)
    elif isinstance(error, DjangoPermissionDenied):
        error = exceptions.PermissionDenied(str(error) or None)
    return drf_exception_handler(error, context)

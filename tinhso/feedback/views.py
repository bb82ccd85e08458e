from django.http import HttpResponse


def home(request):
    return HttpResponse("")


def report_detail(request, pk):
    return HttpResponse("")

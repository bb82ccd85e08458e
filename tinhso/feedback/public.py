from django.http import HttpResponse


def report_list(request):
    return HttpResponse("")


def report_page(request, pk):
    return HttpResponse("")

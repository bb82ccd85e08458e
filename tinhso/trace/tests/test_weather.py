import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tinhso.core.imports import ImportRejected
from tinhso.trace import weather
from tinhso.trace.models import WeatherObservation, WeatherStation
from tinhso.trace.weather_import import import_weather

pytestmark = pytest.mark.django_db
HEADER = "Mã trạm,Tên trạm,Vĩ độ,Kinh độ,Ngày,Nhiệt độ (°C),Độ ẩm (%),Lượng mưa (mm)\n"


def upload(rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("tram.csv", (HEADER + rows).encode())


def test_the_station_table_is_imported_and_a_second_import_updates_it():
    rows = 'NL,Nghĩa Lộ,21.60,104.51,1/4/2025,"19,5",88,"2,0"\nNL,Nghĩa Lộ,21.60,104.51,2/4/2025,20.1,85,0\n'
    assert import_weather(upload(rows)) == 2
    assert import_weather(upload(rows.replace("88", "90"))) == 2
    assert WeatherStation.objects.count() == 1 and WeatherObservation.objects.count() == 2
    assert WeatherObservation.objects.get(day="2025-04-01").humidity_percent == 90


def test_a_bad_row_imports_nothing():
    rows = "NL,Nghĩa Lộ,21.60,104.51,1/4/2025,19.5,88,0\nNL,Nghĩa Lộ,21.60,104.51,hôm qua,nóng,88,0\n"
    with pytest.raises(ImportRejected) as rejected:
        import_weather(upload(rows))
    assert {error.column for error in rejected.value.errors} == {"day", "temperature"}
    assert not WeatherObservation.objects.exists()


def test_the_command_reports_bad_lines(tmp_path):
    path = tmp_path / "tram.csv"
    path.write_text(HEADER + "NL,Nghĩa Lộ,21.60,104.51,x,19.5,88,0\n")
    with pytest.raises(CommandError, match="line 2"):
        call_command("import_weather", str(path))


def test_the_online_weather_adapter_is_off_by_default(tea, settings):
    settings.TRACE_WEATHER_ONLINE_URL = ""
    assert weather.online_weather(tea.tree1) is None
    assert weather.weather_for(tea.tree1) is None

"""Width and height of the pictures uploaded before they were kept: the upload saved its file from an unnamed
ContentFile, which left them empty, so every read of such a question or lesson opened its file to measure it
(and failed when the file was gone). Read from the files once; a file that is missing or unreadable keeps
its empty size, as before."""

from django.core.files.storage import default_storage
from django.db import migrations


def measure(apps, schema_editor):
    from PIL import Image, UnidentifiedImageError

    for name in ("Question", "Lesson"):
        model = apps.get_model("learning", name)
        rows = model.objects.exclude(image="").filter(image_width__isnull=True).values_list("pk", "image")
        for pk, image in rows.iterator():
            try:
                with default_storage.open(image, "rb") as stored, Image.open(stored) as picture:
                    width, height = picture.size
            except (OSError, UnidentifiedImageError, ValueError):
                continue
            model.objects.filter(pk=pk).update(image_width=width, image_height=height)


class Migration(migrations.Migration):
    dependencies = [("learning", "0010_contest_certificate")]

    operations = [migrations.RunPython(measure, migrations.RunPython.noop)]

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("esms_portal", "0015_change_feeds_dialogue"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_program",
            field=models.BooleanField(default=False, editable=False, verbose_name="compte de programme"),
        ),
    ]

# The agents' second factors are django-otp devices now (0009_otp_devices).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("esms_portal", "0013_otp_devices"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="totp_last_step"),
        migrations.RemoveField(model_name="user", name="totp_secret"),
    ]

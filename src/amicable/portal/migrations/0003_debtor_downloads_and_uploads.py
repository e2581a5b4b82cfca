"""The portal counts a debtor's data downloads and uploads too."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_phishing_has_its_own_app'),
    ]

    operations = [
        migrations.AlterField(
            model_name='throttledattempt',
            name='scope',
            field=models.CharField(choices=[('sign_in_file', 'Sign-in failure, per file number'), ('sign_in_ip', 'Sign-in failure, per client address'), ('check_ip', 'Authenticity check, per client address'), ('data_download', "Download of a debtor's data, per debtor"), ('upload', 'Document uploaded by the debtor, per file')], max_length=20),
        ),
    ]

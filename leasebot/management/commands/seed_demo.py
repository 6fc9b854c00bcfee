from django.core.management.base import BaseCommand
from django.db import transaction

from leasebot import demo_data


class Command(BaseCommand):
    help = "Create (or refresh) the demo users and each app's demo data. Local and test only."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo_data.seed(self.stdout)
        for role, username, password in demo_data.logins():
            self.stdout.write(f"  {role:6} {username} / {password}")

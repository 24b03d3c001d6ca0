from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "sablier.crisis"
    label = "crisis"
    default_auto_field = "django.db.models.BigAutoField"

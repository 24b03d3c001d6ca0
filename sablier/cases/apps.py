from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sablier.cases"
    label = "cases"
    default_auto_field = "django.db.models.BigAutoField"

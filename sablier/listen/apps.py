from django.apps import AppConfig


class ListenConfig(AppConfig):
    name = "sablier.listen"
    label = "listen"
    default_auto_field = "django.db.models.BigAutoField"

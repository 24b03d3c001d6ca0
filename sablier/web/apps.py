from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "sablier.web"
    label = "web"

from django.apps import AppConfig


class AnswerConfig(AppConfig):
    name = "sablier.answer"
    label = "answer"
    default_auto_field = "django.db.models.BigAutoField"

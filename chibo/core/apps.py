from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "chibo.core"
    label = "core"

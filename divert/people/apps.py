from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PeopleConfig(AppConfig):
    name = "divert.people"
    verbose_name = "People"

    def ready(self) -> None:
        # The name index is derived data: keep it in step with every way a name is saved,
        # the admin included.
        from divert.people.models import Person, PersonName
        from divert.people.search import reindex_on_save

        post_save.connect(reindex_on_save, sender=Person, dispatch_uid="person-reindex")
        post_save.connect(reindex_on_save, sender=PersonName, dispatch_uid="name-reindex")
        post_delete.connect(reindex_on_save, sender=PersonName, dispatch_uid="name-unindex")

from django.urls import path

from divert.records.pages import views

# Included under imports/.
urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:import_run_id>/", views.import_run, name="import-run"),
    path(
        "quarantine/<int:quarantined_row_id>/",
        views.quarantined_row,
        name="quarantined-row",
    ),
]

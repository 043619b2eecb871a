from django.urls import path

from divert.charges import pages

_E = "enrollments/<int:enrollment_id>"

urlpatterns = [
    path("", pages.queue, name="charge-holds"),
    path("holds/<int:hold_id>/", pages.hold_detail, name="charge-hold"),
    path(f"{_E}/legal/", pages.legal_page, name="charge-legal"),
    path(f"{_E}/legal/from-records/", pages.legal_from_records, name="charge-legal-records"),
    path("legal/<int:legal_matter_id>/position/", pages.legal_position, name="legal-position"),
]

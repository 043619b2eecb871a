from django.urls import path

from divert.linkage.pages import justice, merges, views

# Included under links/.
urlpatterns = [
    path("review/", views.link_review, name="link-review"),
    path("review/<int:link_id>/", views.link_decide, name="link-decide"),
    path("duplicates/", merges.merge_review, name="merge-review"),
    path("duplicates/decide/", merges.merge_decide, name="merge-decide"),
    path("duplicates/<int:decision_id>/undo/", merges.merge_undo, name="merge-undo"),
    path("justice-duplicates/", justice.justice_review, name="justice-review"),
    path("justice-duplicates/decide/", justice.justice_decide, name="justice-decide"),
    path("justice-duplicates/<int:decision_id>/undo/", justice.justice_undo, name="justice-undo"),
]

from django.urls import path

from divert.linkage.pages import views

# Included under links/.
urlpatterns = [
    path("review/", views.link_review, name="link-review"),
    path("review/<int:link_id>/", views.link_decide, name="link-decide"),
]

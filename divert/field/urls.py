from django.urls import path

from divert.field import views

urlpatterns = [
    path("lookup/", views.lookup, name="officer-lookup"),
    path("people/new/", views.person_add, name="field-person-add"),
    path("people/<int:person_id>/screen/", views.screen, name="field-screen"),
    path("screenings/<int:screening_id>/", views.decision, name="field-decision"),
    path("screenings/<int:screening_id>/divert/", views.divert, name="field-divert"),
    path("screenings/<int:screening_id>/close/", views.close, name="field-close"),
    path("referrals/<int:referral_id>/handoff/", views.handoff, name="field-handoff"),
]
urlpatterns += [
    path("community/new/", views.community_referral, name="community-referral"),
    path("capacity/", views.capacity_refusals, name="capacity-refusals"),
]

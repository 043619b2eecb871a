from django.contrib.auth import views as auth_views
from django.urls import path

from divert.casework.pages import notes
from divert.staff import mfa
from divert.web import app, scorecard, views

urlpatterns = [
    path("", views.home, name="home"),
    path("sw.js", app.service_worker, name="service-worker"),
    path("offline/", app.offline, name="offline"),
    path("login/", mfa.LoginView.as_view(), name="login"),
    path("account/mfa/", mfa.mfa_setup, name="mfa-setup"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("casework/enrollments/<int:enrollment_id>/notes/", notes.case_notes, name="case-notes"),
    path("referrals/", views.partner_referrals, name="partner-referrals"),
    path("program/", views.program_summary, name="program-summary"),
    path("program/scorecard/", scorecard.program_scorecard, name="program-scorecard"),
    path("public/<slug:slug>/", scorecard.public_scorecard, name="public-scorecard"),
    path("audit/", views.audit_log, name="audit-log"),
]

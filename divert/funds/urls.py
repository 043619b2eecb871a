from django.urls import path

from divert.funds import pages

urlpatterns = [
    path("funds/", pages.budget, name="funds"),
    path("funds/rules/", pages.rules, name="fund-rules"),
    path("funds/export.csv", pages.export_csv, name="funds-export"),
    path("funds/spends/<int:fund_spend_id>/decide/", pages.spend_decide, name="fund-spend-decide"),
    path("funds/spends/<int:fund_spend_id>/receipt/", pages.receipt, name="fund-receipt"),
    path(
        "casework/enrollments/<int:enrollment_id>/funds/",
        pages.enrollment_funds,
        name="enrollment-funds",
    ),
]

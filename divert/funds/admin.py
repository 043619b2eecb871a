from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from divert.access import Kind
from divert.access.admin import PolicyAdmin
from divert.funds.models import FundRules


@admin.register(FundRules)
class FundRulesAdmin(PolicyAdmin, SimpleHistoryAdmin):
    policy_kind = Kind.FUND_RULES
    list_display = ("jurisdiction", "approval_over")

"""The load and fault tests use only a database of their own."""

import pytest

from benchmarks.server_load import SITE_NAME, NotOurs, _check_ours
from divert.jurisdictions.models import Jurisdiction


def test_a_database_holding_a_real_site_is_refused(site):
    with pytest.raises(NotOurs, match="holds other sites \\(Cascadia\\)"):
        _check_ours()


def test_the_bench_site_alone_is_accepted(db):
    Jurisdiction.objects.create(name=SITE_NAME, slug="bench-county")
    _check_ours()

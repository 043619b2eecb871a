import pytest
from django.core.exceptions import ImproperlyConfigured

from divert.settings import envbool, envint


def test_envbool_reads_common_spellings(monkeypatch):
    monkeypatch.setenv("X", "yes")
    assert envbool("X") is True
    monkeypatch.setenv("X", "0")
    assert envbool("X") is False


def test_envbool_refuses_anything_else_naming_the_variable(monkeypatch):
    monkeypatch.setenv("X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X must be true or false"):
        envbool("X")


def test_envint_refuses_a_non_number_naming_the_variable(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        envint("N", 1)

"""The translation catalogs are complete for every shipped locale."""

import pytest

from cps.catalogs import catalog_problems, missing_from_template
from cps.config import SUPPORTED_LOCALES


def test_the_template_has_every_source_string():
    assert missing_from_template() == set()


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_is_complete_with_placeholders_intact(locale):
    assert catalog_problems(locale) == []

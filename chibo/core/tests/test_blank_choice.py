"""A select's empty choice ("- Select an option -", Django 6.1) reads in Vietnamese: Django's
own catalogue has no Vietnamese for it, ours does (chibo/core/apps.py)."""

from django.utils import translation

from chibo.org.models import OrgUnit


def test_empty_choice_of_a_select_in_vietnamese_and_english():
    field = OrgUnit._meta.get_field("cell_type").formfield()
    with translation.override("vi"):
        assert str(field.choices[0][1]) == "- Chọn -"
        assert "- Chọn -" in field.widget.render("cell_type", "")
    with translation.override("en"):
        assert str(field.choices[0][1]) == "- Select an option -"

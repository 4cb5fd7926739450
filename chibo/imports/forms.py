"""The upload form: one .xlsx workbook, or one or more CSV files (one per sheet)."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.forms import BootstrapForm
from chibo.core.sheets import sheets


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for a file field that takes several files."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(BootstrapForm):
    uploads = MultipleFileField(label=gettext_lazy("Workbook or CSV files"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["uploads"].help_text = _(
            "One .xlsx workbook, or CSV files named %(files)s."
        ) % {"files": ", ".join(f"{s.key}.csv" for s in sheets())}

    def clean_uploads(self) -> list[tuple[str, bytes]]:
        uploads: list[UploadedFile] = self.cleaned_data["uploads"]
        limit = settings.CHIBO_IMPORT_MAX_BYTES
        if sum(u.size or 0 for u in uploads) > limit:
            raise forms.ValidationError(
                _("The upload is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
            )
        names = [PurePath(u.name or "").name for u in uploads]
        if len(uploads) > 1 and not all(n.lower().endswith(".csv") for n in names):
            raise forms.ValidationError(_("Upload one .xlsx workbook, or one or more .csv files."))
        if len({n.lower() for n in names}) != len(names):
            raise forms.ValidationError(_("Two files have the same name."))
        return [(name, upload.read()) for name, upload in zip(names, uploads, strict=True)]

"""The static files storage of production: WhiteNoise's hashed, compressed files."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedCompressedStorage(CompressedManifestStaticFilesStorage):
    """Each file under a name with its content's hash, with a gzip copy.

    The vendored minified files (Bootstrap, Chart.js) end with a sourceMappingURL comment
    naming a .map file that is not shipped; Django's storage refuses such a reference and
    collectstatic fails. A missing source map is left as it is written (browsers ask for it
    only with the developer tools open)."""

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            # Django's pattern for CSS keeps the space before "*/" in the name.
            if name.strip().endswith(".map"):
                return name
            raise

"""What setup.cfg cannot declare: the repository keeps `static/` and `migrations/` beside
`app/` (as the project was designed), while the installed package carries them inside `app`;
and the translation catalogues are compiled into the wheel at build time."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

TOP = Path(__file__).resolve().parent


class BuildWithCatalogues(build_py):
    """Copies the package, then writes a compiled .mo beside every .po in the build."""

    def run(self) -> None:
        super().run()
        for po_file in Path(self.build_lib, "app").glob("**/translations/*/LC_MESSAGES/*.po"):
            with po_file.open("rb") as handle:
                catalog = read_po(handle)
            with po_file.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)


setup(
    packages=[
        *find_packages(include=["app", "app.*"]),
        "app.static",
        "app.migrations",
        "app.migrations.versions",
    ],
    package_dir={"app.static": "static", "app.migrations": "migrations"},
    package_data={
        "": ["templates/**/*", "translations/**/*.po"],
        "app.static": ["**/*"],
        "app.migrations": ["*.ini", "*.mako", "README"],
    },
    exclude_package_data={"": ["*.mo"]},
    cmdclass={"build_py": BuildWithCatalogues},
)

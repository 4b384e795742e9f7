"""Build the till for shops: the PyInstaller bundle (Linux and Windows) and the Debian package.

    python installer/build.py bundle [--if-stale]   installer/build/dist/kassa/ (./dev bundle)
    python installer/build.py deb [--if-stale]      installer/build/kassa_<version>_<arch>.deb (./dev deb)

``--if-stale`` reuses a bundle that is newer than every source file (the tests use it so a
rerun is quick).  Every build checks what the bundle holds (the package data, the Qt
platform plugins, no hub and no test tools) and prints its size and build time.
"""

from __future__ import annotations

import argparse
import ast
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"
BUILD = INSTALLER / "build"
DIST = BUILD / "dist" / "kassa"
WORK = BUILD / "work"
STAMP = BUILD / "bundle.json"  # written after a bundle passed its checks: its figures
WINDOWS = sys.platform == "win32"
EXE = "kassa.exe" if WINDOWS else "kassa"

SOURCES = ("pos", "local_db", "hardware", "sync", "ui", "shell")
BUILD_FILES = ("installer/kassa.spec", "installer/kassa_entry.py", "installer/kassa_window_entry.py",
               "installer/build.py", "pyproject.toml")
# Inside the bundle's _internal folder: what the till reads from files at run time.
NEEDED = (
    "pos/locale/uk/LC_MESSAGES/kassa.po", "pos/locale/az/LC_MESSAGES/kassa.po", "pos/locale/ka/LC_MESSAGES/kassa.po",
    "local_db/migrations/env.py", "local_db/migrations/script.py.mako",
    "local_db/migrations/versions/0001_first_schema.py",
    "hardware/fonts/DejaVuSansMono.ttf", "hardware/fonts/NotoSansGeorgian-Regular.ttf",
    "shell/demo_settings.toml", "escpos/capabilities.json",
    "biip/gs1_application_identifiers/_application_identifiers.json",
)
QT_PLATFORMS = ("qwindows.dll", "qoffscreen.dll") if WINDOWS else ("libqxcb.so", "libqoffscreen.so")
LEFT_OUT = ("central", "fastapi", "starlette", "uvicorn", "psycopg", "pytest", "_pytest", "hypothesis",
            "schemathesis", "mypy", "importlinter", "mutmut", "tests")

DEB_DEPENDS = (  # the system libraries Qt loads from the till's machine (.ci/run installs the same for the tests)
    "libc6 (>= 2.34)", "libegl1", "libgl1", "libglib2.0-0t64 | libglib2.0-0", "libfontconfig1", "libfreetype6",
    "libxkbcommon0", "libdbus-1-3", "fonts-dejavu-core",
    # the xcb platform plugin (an X11 or XWayland desktop)
    "libx11-xcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0",
)


def version() -> str:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def source_files() -> list[Path]:
    found = [ROOT / name for name in BUILD_FILES]
    for package in SOURCES:
        found += [p for p in (ROOT / package).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return found


def is_stale() -> bool:
    """No checked bundle, or a source file changed after it was built."""
    if not STAMP.is_file() or not (DIST / EXE).is_file():
        return True
    built = STAMP.stat().st_mtime
    return any(p.stat().st_mtime > built for p in source_files() if p.exists())


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle() -> dict[str, object]:
    """PyInstaller, from scratch; then the bundle's checks.  Returns its figures."""
    shutil.rmtree(DIST, ignore_errors=True)
    STAMP.unlink(missing_ok=True)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST.parent), "--workpath", str(WORK), str(INSTALLER / "kassa.spec")],
                   cwd=ROOT, check=True)
    seconds = time.monotonic() - started
    problems = bundle_problems(DIST)
    if problems:
        raise SystemExit("the bundle is not right:\n  " + "\n  ".join(problems))
    figures = {"version": version(), "seconds": round(seconds, 1), "bytes": folder_size(DIST), "path": str(DIST)}
    STAMP.write_text(json.dumps(figures), encoding="utf-8")
    return figures


def bundle_problems(bundle: Path) -> list[str]:
    """What is missing from the bundle, or in it but should not be."""
    inside = bundle / "_internal"
    problems = [f"missing {name}" for name in NEEDED if not (inside / name).is_file()]
    if not list(inside.glob("kassa-*.dist-info/METADATA")):
        problems.append("missing kassa's metadata (kassa --version)")
    plugins = [p.name for p in inside.rglob("platforms/*")]
    problems += [f"missing the Qt platform plugin {name}" for name in QT_PLATFORMS if name not in plugins]
    modules = bundled_modules()
    problems += [f"holds {name}" for name in LEFT_OUT if name in modules or (inside / name).exists()]
    return problems


def bundled_modules() -> set[str]:
    """The top-level packages in the bundle's module archive (PyInstaller's table of contents)."""
    toc = WORK / "kassa" / "PYZ-00.toc"
    if not toc.is_file():
        return set()
    _, entries = ast.literal_eval(toc.read_text(encoding="utf-8"))
    return {str(entry[0]).split(".")[0] for entry in entries}


def ensure_bundle(if_stale: bool) -> dict[str, object]:
    if if_stale and not is_stale():
        figures = json.loads(STAMP.read_text(encoding="utf-8"))
        print(f"bundle {DIST} is newer than every source file: reused")
        return dict(figures)
    figures = build_bundle()
    print(f"bundle {DIST}: {int(figures['bytes']) / 1e6:.0f} MB, built in {figures['seconds']} s")  # type: ignore[call-overload]
    return figures


# -- the Debian package ------------------------------------------------------------------

DESKTOP = """[Desktop Entry]
Type=Application
Name=Kassa
GenericName=Point of sale
Comment=The shop's till
Exec=kassa run
Terminal=false
Categories=Office;Finance;
"""

AUTOSTART = """[Desktop Entry]
Type=Application
Name=Kassa till
Comment=Starts the till at login for the members of the kassa group only
TryExec=/usr/lib/kassa/kassa-autostart
Exec=/usr/lib/kassa/kassa-autostart
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
"""

AUTOSTART_SCRIPT = """#!/bin/sh
# /etc/xdg/autostart/kassa.desktop runs this at every graphical login. The till starts only
# for the members of the kassa group (the shop's till user: adduser till kassa); anyone else
# who logs in on this machine (IT, a manager) gets no till.
if id -nG | tr ' ' '\\n' | grep -qx kassa; then
    exec /usr/bin/kassa run
fi
exit 0
"""

POSTINST = """#!/bin/sh
set -e
# the till's users: members of this group get the till started at login (/etc/xdg/autostart/kassa.desktop)
if [ "$1" = configure ] && ! getent group kassa >/dev/null; then
    addgroup --system kassa >/dev/null
fi
exit 0
"""

README_DEBIAN = """Kassa for Debian
================

/opt/kassa/             the till (a self-contained PyInstaller bundle; no Python needed)
/usr/bin/kassa          the kassa command (kassa run, kassa self-test, kassa --version, ...)
/etc/kassa/             IT's site settings: put settings.toml here (see settings.toml.example)
/usr/share/applications/kassa.desktop   the till in the desktop's menu
/etc/xdg/autostart/kassa.desktop        starts the till at login, for members of the kassa group only

Make the shop's till user a member of the group once:  adduser till kassa
Check an installation:  kassa self-test   (add --hub URL --enrolment-code CODE for a test till)
See docs/deployment.md in the source for the whole roll-out.
"""

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: kassa
Comment: The bundle in /opt/kassa also holds Python, Qt (PySide6, LGPLv3) and the Python
 libraries the till uses, each under its own licence; the receipt fonts are DejaVu (Bitstream
 Vera licence) and Noto Sans Georgian (SIL Open Font License 1.1): /opt/kassa/_internal/hardware/fonts/.

Files: *
Copyright: 2026 the Kassa authors
License: proprietary
"""

# What lintian says of any PyInstaller bundle, and /opt asked for on purpose (installer/README.md)
LINTIAN_OVERRIDES = """\
# the bundle lives in /opt/kassa on purpose: one self-contained folder, apart from the system's Python
kassa: dir-or-file-in-opt
# PyInstaller's bundle: its own copies of libraries (Python, Qt, SQLite...), found through its rpath,
# left unstripped (stripping Qt's libraries can break them), some loaded only by other libraries
kassa: embedded-library
kassa: unstripped-binary-or-object
kassa: custom-library-search-path
kassa: shared-library-lacks-prerequisites
kassa: library-not-linked-against-libc
kassa: hardening-no-pie
kassa: missing-depends-on-sensible-utils
# the receipt fonts are read from the bundle, whatever fonts the system has
kassa: duplicate-font-file
kassa: no-manual-page
"""


def build_deb(if_stale: bool) -> Path:
    figures = ensure_bundle(if_stale)
    started = time.monotonic()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    name = f"kassa_{version()}_{arch}"
    stage = BUILD / "deb" / name
    shutil.rmtree(stage.parent, ignore_errors=True)
    shutil.copytree(DIST, stage / "opt" / "kassa", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / "kassa").symlink_to("/opt/kassa/kassa")
    for library in (stage / "opt" / "kassa").rglob("*.so*"):  # a shared library needs no execute bit
        if library.is_file() and not library.is_symlink():
            library.chmod(0o644)
    _write(stage / "usr/lib/kassa/kassa-autostart", AUTOSTART_SCRIPT, 0o755)
    _write(stage / "usr/share/applications/kassa.desktop", DESKTOP)
    _write(stage / "etc/xdg/autostart/kassa.desktop", AUTOSTART)
    (stage / "etc" / "kassa").mkdir(parents=True)
    doc = stage / "usr/share/doc/kassa"
    _write(doc / "settings.toml.example", settings_template())
    _write(doc / "README.Debian", README_DEBIAN)
    _write(doc / "copyright", COPYRIGHT)
    changelog = f"kassa ({version()}) unstable; urgency=medium\n\n  * Built from the source tree.\n\n -- Kassa <it@example.com>  {_date()}\n"
    (doc / "changelog.gz").write_bytes(gzip.compress(changelog.encode(), mtime=0))
    (doc / "changelog.gz").chmod(0o644)
    installed_kb = (folder_size(stage) + 1023) // 1024
    _write(stage / "DEBIAN/control", (
        f"Package: kassa\nVersion: {version()}\nArchitecture: {arch}\nSection: misc\nPriority: optional\n"
        f"Maintainer: Kassa <it@example.com>\nInstalled-Size: {installed_kb}\n"
        f"Depends: {', '.join(DEB_DEPENDS)}\n"
        "Description: offline-first point-of-sale till\n"
        " Kassa sells with no network at all: every sale is durable in a local SQLite\n"
        " journal before the cashier is told it is done, and is sent to the chain's hub\n"
        " when the link is up. This package holds the till as a self-contained bundle.\n"))
    _write(stage / "DEBIAN/postinst", POSTINST, 0o755)
    _write(stage / "DEBIAN/conffiles", "/etc/xdg/autostart/kassa.desktop\n")  # IT may edit it: kept on upgrade
    _write(stage / "usr/share/lintian/overrides/kassa", LINTIAN_OVERRIDES)
    target = BUILD / f"{name}.deb"
    target.unlink(missing_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(stage), str(target)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(stage.parent)
    seconds = time.monotonic() - started
    print(f"package {target}: {target.stat().st_size / 1e6:.0f} MB (installed {installed_kb / 1e3:.0f} MB), "
          f"packed in {seconds:.0f} s; bundle built in {figures['seconds']} s")
    return target


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def _date() -> str:
    from email.utils import formatdate

    return formatdate(os.path.getmtime(ROOT / "pyproject.toml"), localtime=False)


def settings_template() -> str:
    """``kassa init-config``'s template, made by the bundle itself (which also proves it starts)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "settings.toml"
        env = {"PATH": "/usr/bin:/bin", "HOME": folder, "KASSA_DATA_DIR": folder, "LANG": "C.UTF-8"}
        subprocess.run([str(DIST / EXE), "init-config", str(path)], env=env, cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
        return path.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="installer/build.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("bundle", "deb"))
    parser.add_argument("--if-stale", action="store_true", help="reuse a bundle newer than every source file")
    args = parser.parse_args(argv)
    if args.what == "bundle":
        ensure_bundle(args.if_stale)
    else:
        build_deb(args.if_stale)
    return 0


if __name__ == "__main__":
    sys.exit(main())

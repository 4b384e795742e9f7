"""The Debian package: installed with apt-get when the tests run as root (as in CI), else
unpacked with dpkg-deb; the installed ``kassa`` passes its self-test against a real hub,
the files are in the usual places, and the autostart starts the till only for members of
the kassa group.  The package is removed again afterwards."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.installer.conftest import BUILD, CHECKS, LoopbackHub, build_folder_lock, build_now, is_root_with_apt, project_version, run, \
    self_test, statuses

pytestmark = pytest.mark.skipif(sys.platform != "linux" or shutil.which("dpkg-deb") is None,
                                reason="needs dpkg-deb (Debian or Ubuntu)")


@dataclass(frozen=True)
class Installed:
    root: Path  # "/" when apt-get installed it, else where it was unpacked
    deb: Path
    by_apt: bool

    def path(self, name: str) -> Path:
        return self.root / name.lstrip("/")

    @property
    def kassa(self) -> Path:
        """/usr/bin/kassa (an absolute symlink: when only unpacked, the bundle's executable itself)."""
        return self.path("/usr/bin/kassa") if self.by_apt else self.path("/opt/kassa/kassa")


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package, built and copied out of the source tree in one go (another test worker may
    build it again while this one installs it)."""
    with build_folder_lock():
        print(build_now("deb"))
        found = sorted(BUILD.glob("kassa_*.deb"), key=lambda p: p.stat().st_mtime)
        assert found, "no package built"
        copy = tmp_path_factory.mktemp("deb") / found[-1].name
        shutil.copy2(found[-1], copy)
    return copy


@pytest.fixture(scope="module")
def installed(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    if not is_root_with_apt():
        root = tmp_path_factory.mktemp("unpacked")
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        yield Installed(root, deb, by_apt=False)
        return
    done = subprocess.run(["apt-get", "install", "-y", "-q", f"./{deb.name}"], cwd=deb.parent, capture_output=True,
                          text=True, timeout=900, env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    try:
        yield Installed(Path("/"), deb, by_apt=True)
    finally:
        # purge: remove, and the autostart entry (a conffile) too
        removed = subprocess.run(["apt-get", "purge", "-y", "-q", "kassa"], capture_output=True, text=True,
                                 timeout=600, env={"DEBIAN_FRONTEND": "noninteractive",
                                                   "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        assert removed.returncode == 0, removed.stderr
        assert not Path("/opt/kassa").exists() and not Path("/usr/bin/kassa").exists()
        assert not Path("/etc/xdg/autostart/kassa.desktop").exists()


def field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


def test_the_installed_kassa_passes_its_self_test_against_a_hub_on_loopback(installed: Installed, hub: LoopbackHub,
                                                                           tmp_path: Path) -> None:
    assert os.readlink(installed.path("/usr/bin/kassa")) == "/opt/kassa/kassa"
    kassa = installed.kassa
    version = run([str(kassa), "--version"], tmp_path)
    assert version.stdout.strip() == f"kassa {project_version()}", version.stderr
    till, code = hub.code_for_a_new_till()
    done, report = self_test(kassa, tmp_path, "--hub", hub.url, "--enrolment-code", code)
    assert done.returncode == 0, report
    assert statuses(report) == {name: "ok" for name in CHECKS}
    assert hub.sales_of(till) == 1


def test_the_package_is_named_versioned_and_depends_on_the_libraries_qt_loads(installed: Installed) -> None:
    assert field(installed.deb, "Package") == "kassa"
    assert field(installed.deb, "Version") == project_version()
    assert installed.deb.name == f"kassa_{project_version()}_{field(installed.deb, 'Architecture')}.deb"
    depends = field(installed.deb, "Depends")
    for library in ("libegl1", "libfontconfig1", "libxkbcommon0", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert library in depends


def test_the_files_are_in_the_usual_places(installed: Installed, tmp_path: Path) -> None:
    menu = installed.path("/usr/share/applications/kassa.desktop").read_text(encoding="utf-8")
    assert "Type=Application" in menu and "Exec=kassa run" in menu
    autostart = installed.path("/etc/xdg/autostart/kassa.desktop").read_text(encoding="utf-8")
    assert "Exec=/usr/lib/kassa/kassa-autostart" in autostart
    assert installed.path("/usr/lib/kassa/kassa-autostart").stat().st_mode & 0o111
    assert installed.path("/etc/kassa").is_dir()
    example = installed.path("/usr/share/doc/kassa/settings.toml.example")
    checked = run([str(installed.kassa), "check-config", "--config", str(example)], tmp_path)
    assert checked.returncode == 0, checked.stderr  # the template IT copies to /etc/kassa/settings.toml is valid
    assert installed.path("/usr/share/doc/kassa/copyright").is_file()
    libraries = [p for p in installed.path("/opt/kassa").rglob("*.so*") if p.is_file() and not p.is_symlink()]
    assert libraries and not [p for p in libraries if p.stat().st_mode & 0o111]  # lintian: no execute bit


@pytest.mark.skipif(not is_root_with_apt(), reason="the package is installed (and its group made) only as root")
def test_the_autostart_starts_the_till_only_for_members_of_the_kassa_group(installed: Installed, tmp_path: Path) -> None:
    assert subprocess.run(["getent", "group", "kassa"], capture_output=True).returncode == 0  # made by postinst
    script = "/usr/lib/kassa/kassa-autostart"
    outsider = run(["sh", script], tmp_path)  # root is no member of kassa: no till
    assert outsider.returncode == 0 and outsider.stdout == outsider.stderr == ""
    # a member (sg: the same shell with the kassa group): the till starts, and here says it has no settings yet
    member = run(["sg", "kassa", "-c", f"sh {script}"], tmp_path, KASSA_CONFIG=str(tmp_path / "none.toml"))
    assert member.returncode == 2 and "There is no settings file" in member.stderr, member.stderr


@pytest.mark.skipif(not is_root_with_apt() or shutil.which("xvfb-run") is None,
                    reason="needs the installed package (its Depends) and xvfb-run")
def test_the_installed_till_opens_its_window_on_an_x_display(installed: Installed, tmp_path: Path) -> None:
    done = run(["xvfb-run", "-a", "/usr/bin/kassa", "demo", "--no-hub", "--items", "50", "--quit-after", "0"], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]

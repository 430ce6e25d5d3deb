"""Kollegium ships like a Python service: locked dependencies, licences in order, and a
wheel that installs and serves on its own, away from the repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

TOP = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP / "docs"))
import licences  # noqa: E402  (docs/licences.py, the generator of docs/licences.md)

IN_CI = os.environ.get("CI", "").lower() == "true"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.M)


def _pins(path: Path) -> dict[str, str]:
    return {
        name.lower().replace("_", "-"): version for name, version in PIN.findall(path.read_text())
    }


@pytest.mark.parametrize(
    ("wanted", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_the_lock_holds_every_requirement_at_its_pin(wanted, lock):
    locked = _pins(TOP / lock)
    for name, version in _pins(TOP / wanted).items():
        assert locked.get(name) == version, f"{name}=={version}: run `make lock`"
    hashes = (TOP / lock).read_text().count("--hash=sha256:")
    assert hashes >= len(locked), "every locked package carries its hashes"


def test_the_runtime_lock_agrees_with_the_test_lock():
    runtime, dev = _pins(TOP / "requirements.lock"), _pins(TOP / "requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_licence_list_is_current_and_every_licence_fits():
    assert (TOP / "docs" / "licences.md").read_text() == licences.render(), "run `make licences`"
    assert "| **NO** |" not in licences.render()
    assert licences.is_compatible("MIT") and licences.is_compatible("Apache-2.0 OR BSD-2-Clause")
    assert not licences.is_compatible("SSPL-1.0")
    assert not licences.is_compatible("MIT AND Commons-Clause")


def test_the_repository_is_reuse_compliant():
    reuse = shutil.which("reuse", path=str(Path(sys.executable).parent))
    assert reuse, "reuse is in requirements-dev.txt"
    result = subprocess.run([reuse, "lint"], cwd=TOP, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result


def _check_sbom(target: Path) -> None:
    """The CycloneDX SBOM that `make dist` builds beside the wheel names every locked package."""
    cyclonedx = str(Path(sys.executable).parent / "cyclonedx-py")
    lock = str(TOP / "requirements.lock")
    _run(
        cyclonedx, "requirements", lock, "--of", "JSON", "--output-reproducible", "-o", str(target)
    )
    sbom = json.loads(target.read_text())
    assert sbom["bomFormat"] == "CycloneDX"
    named = {component["name"].lower() for component in sbom["components"]}
    assert set(_pins(TOP / "requirements.lock")) <= named


def _verify_service_units(venv: Path, folder: Path) -> None:
    """deploy/'s systemd units, pointed at this virtualenv, pass `systemd-analyze verify`."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # not a systemd machine; the units are still checked wherever it is
    folder.mkdir()
    for unit in (TOP / "deploy").glob("kollegium-*.*"):
        text = unit.read_text().replace("/opt/kollegium/venv", str(venv))
        text = text.replace("/etc/kollegium/kollegium.env", "/dev/null")
        text = text.replace("/etc/kollegium/gunicorn.conf.py", str(TOP / "gunicorn.conf.py"))
        (folder / unit.name).write_text(text)
    units = sorted(str(path) for path in folder.iterdir())
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_the_wheel_installs_and_serves_away_from_the_repository(tmp_path):
    """Build the wheel, install it with the locked packages into a fresh virtualenv, and run
    Kollegium from another folder: migrate, seed, serve pages with their static files."""
    python = Path(sys.executable)
    _run(str(python), "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(TOP))
    [wheel] = (tmp_path / "dist").glob("kollegium-*.whl")
    _check_sbom(tmp_path / "sbom.json")
    venv = tmp_path / "venv"
    _run(sys.base_prefix + "/bin/python3", "-m", "venv", str(venv))
    pip = str(venv / "bin" / "pip")
    _run(pip, "install", "--quiet", "--require-hashes", "-r", str(TOP / "requirements.lock"))
    _run(pip, "install", "--quiet", "--no-deps", str(wheel))

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("KOLLEGIUM_")},
        "KOLLEGIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "KOLLEGIUM_SEARCH_DRAIN": "inline",
        "PYTHONPATH": "",
    }
    kollegium = str(venv / "bin" / "kollegium")
    _run(kollegium, "db", "upgrade", cwd=elsewhere, env=env)
    _run(kollegium, "seed-demo", cwd=elsewhere, env=env)
    assert "users" in _run(kollegium, "--help", cwd=elsewhere, env=env).stdout
    _verify_service_units(venv, tmp_path / "units")

    port = _free_port()
    server = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "app:create_app()"],
        cwd=elsewhere,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer /health"
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/login", timeout=10) as response:
            login = response.read().decode()
        assert "Kollegium" in login
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)', login)
        assert stylesheets
        for path in stylesheets:
            with urllib.request.urlopen(base + path, timeout=10) as response:
                assert response.status == 200
        # German comes from the catalogues compiled into the wheel.
        request = urllib.request.Request(f"{base}/login", headers={"Accept-Language": "de"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert "Anmelden" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)

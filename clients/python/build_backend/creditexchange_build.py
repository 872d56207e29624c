"""The build backend of creditexchange-client (PEP 517, PEP 660): the standard library only.

Why not setuptools: pip's build isolation would fetch setuptools from the network (this SDK must
install offline), and an in-tree setuptools build writes build/ and *.egg-info into the
repository. This backend reads the [project] table of pyproject.toml, zips src/ into a pure-Python
wheel in the folder pip gives it and writes nothing into the source tree, so

    pip install --no-index clients/python

works without a network (the runtime dependencies already installed, e.g. Debian's python3-grpcio,
python3-protobuf and python3-cryptography seen through a venv made with --system-site-packages),
and `pip wheel --no-index --no-deps clients/python -w DIR` builds a wheel to copy elsewhere.
"""

import base64
import hashlib
import os
import re
import zipfile

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PACKAGE = "creditexchange_client"
# Fixed timestamps: the same sources give the same wheel.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _forget_own_bytecode():
    # Importing this module wrote its bytecode into build_backend/__pycache__ (Python writes it before running the
    # module): remove it, so that building or installing leaves the repository exactly as it was.
    cached = globals().get("__cached__")
    if cached and os.path.isfile(cached):
        try:
            os.remove(cached)
            os.rmdir(os.path.dirname(cached))
        except OSError:
            pass


_forget_own_bytecode()


# --- pyproject.toml ---------------------------------------------------------------------------------------------

def _read_project():
    with open(os.path.join(_ROOT, "pyproject.toml"), "rb") as f:
        data = f.read()
    try:
        import tomllib  # Python 3.11+
    except ImportError:
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            tomllib = None
    if tomllib is not None:
        return tomllib.loads(data.decode("utf-8"))["project"]
    return _read_project_table(data.decode("utf-8"))


def _read_project_table(text):
    """Python 3.9/3.10 without tomli: the [project] table of this file, whose values are one-line strings, lists of
    strings and inline tables of strings."""
    project, in_project = {}, False
    string = r'"((?:[^"\\]|\\.)*)"'
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_project = line == "[project]"
            continue
        if not in_project:
            continue
        key, _, value = (part.strip() for part in line.partition("="))
        if value.startswith('"'):
            project[key] = re.match(string, value).group(1)
        elif value.startswith("["):
            project[key] = re.findall(string, value)
        elif value.startswith("{"):
            project[key] = dict(re.findall(r"(\w+)\s*=\s*" + string, value))
    return project


def _metadata():
    project = _read_project()
    name, version = project["name"], project["version"]
    lines = [
        "Metadata-Version: 2.1",
        "Name: " + name,
        "Version: " + version,
        "Summary: " + project.get("description", ""),
    ]
    license_ = project.get("license")
    if isinstance(license_, dict) and "text" in license_:
        lines.append("License: " + license_["text"])
    if "requires-python" in project:
        lines.append("Requires-Python: " + project["requires-python"])
    lines += ["Requires-Dist: " + dependency for dependency in project.get("dependencies", [])]
    body = ""
    readme = project.get("readme")
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(_ROOT, readme), encoding="utf-8") as f:
            body = "\n" + f.read()
    return name, version, ("\n".join(lines) + "\n" + body).encode("utf-8")


def _dist_info(name, version):
    return "{}-{}.dist-info".format(re.sub(r"[-_.]+", "_", name).lower(), version)


def _wheel_name(name, version):
    return "{}-{}-py3-none-any.whl".format(re.sub(r"[-_.]+", "_", name).lower(), version)


def _wheel_file():
    return b"Wheel-Version: 1.0\nGenerator: creditexchange_build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"


# --- the wheel ------------------------------------------------------------------------------------------------------

def _package_files():
    """(path in the wheel, path on disk) of every file of src/creditexchange_client, bytecode left out."""
    source = os.path.join(_ROOT, "src")
    found = []
    for folder, dirs, files in os.walk(os.path.join(source, _PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for file in sorted(files):
            if file.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, file)
            found.append((os.path.relpath(path, source).replace(os.sep, "/"), path))
    return found


def _write_wheel(wheel_directory, entries):
    """entries: (path in the wheel, bytes). Adds RECORD and returns the wheel's file name."""
    name, version, metadata = _metadata()
    dist_info = _dist_info(name, version)
    entries = list(entries) + [
        (dist_info + "/METADATA", metadata),
        (dist_info + "/WHEEL", _wheel_file()),
        (dist_info + "/top_level.txt", (_PACKAGE + "\n").encode()),
    ]
    record = []
    for path, data in entries:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append("{},sha256={},{}".format(path, digest, len(data)))
    record.append(dist_info + "/RECORD,,")
    entries.append((dist_info + "/RECORD", ("\n".join(record) + "\n").encode()))

    wheel_name = _wheel_name(name, version)
    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return wheel_name


def _read(path):
    with open(path, "rb") as f:
        return f.read()


# --- PEP 517 / PEP 660 hooks -------------------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    name, version, metadata = _metadata()
    dist_info = os.path.join(metadata_directory, _dist_info(name, version))
    os.makedirs(dist_info, exist_ok=True)
    for file, data in (("METADATA", metadata), ("WHEEL", _wheel_file()), ("top_level.txt", (_PACKAGE + "\n").encode())):
        with open(os.path.join(dist_info, file), "wb") as f:
            f.write(data)
    return os.path.basename(dist_info)


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, [(path, _read(disk)) for path, disk in _package_files()])


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # `pip install -e clients/python`: a .pth file puts src/ on sys.path; the package adds its _gen folder itself.
    return _write_wheel(wheel_directory, [("creditexchange_client_editable.pth", (os.path.join(_ROOT, "src") + "\n").encode())])

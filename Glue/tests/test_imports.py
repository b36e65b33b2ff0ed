"""The package imports without awsglue/pyspark; only etl.py needs them, at its top."""
from __future__ import annotations

import ast
import importlib.util
import pkgutil
import subprocess
import sys
import zipfile

from conftest import GLUE_DIR

import extract_job

SPARK_MODULES = ("awsglue", "pyspark")


def test_spark_is_not_installed_here():
    for name in SPARK_MODULES:
        assert importlib.util.find_spec(name) is None, f"{name} is installed; this test proves nothing"


def test_every_package_module_imports_without_spark():
    names = [m.name for m in pkgutil.iter_modules(extract_job.__path__)]
    assert {"arguments", "months", "keys", "csv_render", "sql_views", "manifest", "publish",
            "ods_read", "month_files", "runner", "spark_io"} <= set(names)
    code = "import " + ", ".join(f"extract_job.{n}" for n in names) + "; import sys; " \
           "assert not any(m.split('.')[0] in ('awsglue', 'pyspark') for m in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=GLUE_DIR, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_no_module_level_spark_import_in_the_package():
    for path in (GLUE_DIR / "extract_job").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; spark_io imports lazily inside a function
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(m.split(".")[0] in SPARK_MODULES for m in modules), f"{path.name}: {modules}"


def test_etl_fails_only_at_the_awsglue_import():
    """etl.py's own code is valid; without Glue's runtime it stops at `from awsglue...`."""
    proc = subprocess.run([sys.executable, str(GLUE_DIR / "etl.py")], cwd=GLUE_DIR, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "ModuleNotFoundError: No module named 'awsglue'" in proc.stderr
    assert "from awsglue.context import GlueContext" in proc.stderr
    compile((GLUE_DIR / "etl.py").read_text(encoding="utf-8"), "etl.py", "exec")


def test_package_imports_from_a_zip_like_extra_py_files(tmp_path):
    """Glue ships the package with --extra-py-files as a zip; it must import from there."""
    archive = tmp_path / "extract_job.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted((GLUE_DIR / "extract_job").glob("*.py")):
            zf.write(path, f"extract_job/{path.name}")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import extract_job.runner, extract_job.spark_io; "
            "assert extract_job.__file__.startswith(sys.argv[1]), extract_job.__file__")
    proc = subprocess.run([sys.executable, "-c", code, str(archive)], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

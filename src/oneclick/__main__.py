"""``python -m oneclick``: the same command line as ``oneclick``, where the venv's scripts are not on PATH."""

from oneclick.cli import app

app(prog_name="oneclick")

"""The scoring service and the marketers' dashboard: one FastAPI process over the store of runs.

>>> app = create_app(ServiceSettings(store=Path("out/oneclick.duckdb"), api_keys=("a" * 32,)))  # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1", port=8000)  # doctest: +SKIP
"""

from oneclick.serve.app import create_app
from oneclick.serve.settings import ServiceSettings, key_id, load_api_keys

__all__ = ["ServiceSettings", "create_app", "key_id", "load_api_keys"]

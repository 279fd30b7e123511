"""The marketers' dashboard: server-rendered pages over the served run, in the service's process.

===================================  ==============================================================
``/login``, ``/logout``              sign in with one of the service's API keys (a session), out
``/``                                customers, profit at risk, the risk x profit map, the segments
``/segments/{name}``                 a segment against the rest, its drivers, offers and customers
``/customers/{id}``                  a customer's risk, drivers, offer and a what-if
``/customers/{id}/what-if``          the what-if as JSON (the page's script asks it)
``/campaign``                        the campaign builder: a budget slider and the optimal plan
``/campaign.json``, ``.csv``         the plan at a budget, for the script and for the CRM
``/runs``, ``/runs/{id}/report``     the store's runs, their metrics and quality, their reports
``/campaigns``, ``/campaigns/{id}``  the store's campaigns; one's strata, its results, the catalogue's change
===================================  ==============================================================

Every page needs a signed-in session (else a redirect to ``/login``); the JSON and CSV need it
too (or an ``X-API-Key``). Russian by default, ``?lang=en`` switches. Styles and the one script
are files of this package (``static/``): nothing is fetched from another site.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from oneclick.serve.dashboard import campaign, campaigns, customer, login, runs, segments
from oneclick.serve.dashboard.pages import HERE, LoginRequired, PageCache, to_login


def add_dashboard(app: FastAPI) -> None:
    """Mount the dashboard's pages and static files on ``app`` (its routes stay out of the OpenAPI)."""
    app.state.dashboard_cache = PageCache()
    app.add_exception_handler(LoginRequired, to_login)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="dashboard-static")
    for router in (
        login.router,
        segments.router,
        customer.router,
        customer.answers,
        campaign.pages,
        campaign.downloads,
        runs.router,
        campaigns.router,
    ):
        app.include_router(router)


__all__ = ["add_dashboard"]

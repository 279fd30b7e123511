"""The store's tables and their versions: every change of the schema is a numbered migration.

A store is migrated forward when it is opened for writing, in one transaction: a store written
by an older oneclick opens (and is brought up to date), one written by a newer oneclick is
refused rather than misread. The per-run data tables (``run_<name>``: the customers, scores,
offers, segments of each run) take their columns from the library's outputs and gain new
columns when an output does (see :mod:`oneclick.store.runs`); only the core tables are here.
"""

from __future__ import annotations

import duckdb

from oneclick.errors import StoreError

# Version -> the statements that bring a store from the version before to this one.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE store_schema (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)",
        """CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            data_dir VARCHAR,
            out_dir VARCHAR,
            data_fingerprint VARCHAR,
            model_id VARCHAR,
            n_customers BIGINT,
            settings JSON,
            quality JSON,
            metrics JSON,
            summary JSON
        )""",
        """CREATE TABLE models (
            model_id VARCHAR PRIMARY KEY,
            run_id VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            data_fingerprint VARCHAR,
            metrics JSON,
            model_skops BLOB NOT NULL,
            background BLOB NOT NULL,
            metrics_json BLOB NOT NULL
        )""",
        "CREATE TABLE run_tables (run_id VARCHAR NOT NULL, name VARCHAR NOT NULL, n_rows BIGINT NOT NULL)",
    ),
    2: (
        # The champion becomes an explicit choice with a history; every model of a version-1
        # store was the champion from the moment it was trained.
        """CREATE TABLE promotions (
            model_id VARCHAR NOT NULL,
            promoted_at TIMESTAMP NOT NULL,
            reason VARCHAR NOT NULL
        )""",
        "INSERT INTO promotions SELECT model_id, created_at, 'trained (store schema 1: the latest model served)' "
        "FROM models ORDER BY created_at",
        """CREATE TABLE score_requests (
            requested_at TIMESTAMP NOT NULL,
            key_id VARCHAR NOT NULL,
            n_customers BIGINT NOT NULL,
            latency_ms DOUBLE NOT NULL,
            status INTEGER NOT NULL
        )""",
    ),
    3: (
        # The registry: what each model was trained on, and how it became the champion. Models of
        # a version-2 store keep NULL there ("not recorded"); every promotion a version-2 store
        # holds was made by training (the only writer of promotions then), hence the default.
        "ALTER TABLE models ADD COLUMN training_period VARCHAR",
        "ALTER TABLE models ADD COLUMN data_dir VARCHAR",
        "ALTER TABLE models ADD COLUMN n_customers BIGINT",
        "ALTER TABLE promotions ADD COLUMN action VARCHAR DEFAULT 'trained'",
        "ALTER TABLE promotions ADD COLUMN previous_model_id VARCHAR",
        # Champion against challenger on the same held-out customers of the newest period.
        """CREATE TABLE comparisons (
            comparison_id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            run_id VARCHAR NOT NULL,
            champion_id VARCHAR NOT NULL,
            challenger_id VARCHAR NOT NULL,
            data_fingerprint VARCHAR,
            n_customers BIGINT NOT NULL,
            recommendation VARCHAR NOT NULL,
            result JSON NOT NULL
        )""",
    ),
    4: (
        # Two periods compared (`oneclick compare`, or a run against the period before it):
        # what the report's "changes since the last period" and the dashboard's page render.
        """CREATE TABLE period_comparisons (
            comparison_id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            old_source VARCHAR NOT NULL,
            new_source VARCHAR NOT NULL,
            old_fingerprint VARCHAR,
            new_fingerprint VARCHAR,
            model_id VARCHAR,
            verdict VARCHAR NOT NULL,
            result JSON NOT NULL
        )""",
        # The campaign loop. A campaign is planned on a run's customers under a budget: each chosen
        # customer sits in a stratum (primary segment x offer) and an arm (treatment or control,
        # drawn at random with a recorded seed); a customer a contact rule removed is listed with
        # the rule. Its outcome is read from the next export (campaign_evaluations); the offers'
        # uplifts measured there make a new catalogue version (catalogue_versions, never rewritten).
        """CREATE TABLE campaigns (
            campaign_id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            run_id VARCHAR NOT NULL,
            model_id VARCHAR,
            budget DOUBLE NOT NULL,
            seed BIGINT NOT NULL,
            catalogue_version INTEGER NOT NULL,
            control JSON NOT NULL,
            rules JSON NOT NULL,
            summary JSON NOT NULL
        )""",
        """CREATE TABLE campaign_customers (
            campaign_id VARCHAR NOT NULL,
            customer_id BIGINT NOT NULL,
            segment VARCHAR NOT NULL,
            offer_id VARCHAR NOT NULL,
            stratum VARCHAR NOT NULL,
            arm VARCHAR NOT NULL,
            decline_probability DOUBLE NOT NULL,
            profit DOUBLE NOT NULL,
            cost DOUBLE NOT NULL,
            assumed_uplift DOUBLE NOT NULL,
            expected_saved_profit DOUBLE NOT NULL
        )""",
        """CREATE TABLE campaign_exclusions (
            campaign_id VARCHAR NOT NULL,
            customer_id BIGINT NOT NULL,
            offer_id VARCHAR,
            rule VARCHAR NOT NULL,
            detail VARCHAR NOT NULL
        )""",
        """CREATE TABLE catalogue_versions (
            version INTEGER PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            parent_version INTEGER,
            source_campaign_id VARCHAR,
            method JSON,
            catalogue JSON NOT NULL
        )""",
        """CREATE TABLE campaign_evaluations (
            evaluation_id VARCHAR PRIMARY KEY,
            created_at TIMESTAMP NOT NULL,
            campaign_id VARCHAR NOT NULL,
            data_dir VARCHAR,
            data_fingerprint VARCHAR,
            result JSON NOT NULL
        )""",
    ),
    5: (
        # The dashboard's what-ifs and CRM downloads are logged beside the API's scoring requests;
        # every request logged before this version was a POST /v1/score.
        "ALTER TABLE score_requests ADD COLUMN route VARCHAR DEFAULT '/v1/score'",
    ),
    6: (
        # The exports carry no calendar dates, so a campaign records the day it starts: the
        # cool-down rule ("not treated within the last K months") counts from it. Campaigns of a
        # version-5 store started the day they were planned.
        "ALTER TABLE campaigns ADD COLUMN starts_on DATE",
        "UPDATE campaigns SET starts_on = CAST(created_at AS DATE)",
    ),
    7: (
        # The uplift model an evaluation found better than the rule, refitted on all its matched
        # customers and kept (skops) for the plans that follow; one per evaluation at most. Its id is
        # the start of its archive's sha256; ``offers`` are those it may score.
        """CREATE TABLE uplift_models (
            evaluation_id VARCHAR PRIMARY KEY,
            uplift_model_id VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            campaign_id VARCHAR NOT NULL,
            offers JSON NOT NULL,
            metadata JSON NOT NULL,
            model_skops BLOB NOT NULL
        )""",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)


def stored_version(connection: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open store (0: an empty file)."""
    found = connection.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'store_schema'"
    ).fetchall()[0][0]
    if not found:
        return 0
    version = connection.execute("SELECT max(version) FROM store_schema").fetchall()[0][0]
    return int(version or 0)


def check_version(connection: duckdb.DuckDBPyConnection, path: str) -> int:
    """The store's version; :class:`StoreError` when a newer oneclick wrote it."""
    version = stored_version(connection)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}, written by a newer oneclick; this one reads "
            f"versions up to {SCHEMA_VERSION}. Upgrade oneclick, or pass another --store."
        )
    return version


def migrate(connection: duckdb.DuckDBPyConnection, path: str, *, target: int = SCHEMA_VERSION) -> int:
    """Bring the store up to ``target`` in one transaction; returns the version it had."""
    version = check_version(connection, path)
    if version >= target:
        return version
    connection.execute("BEGIN TRANSACTION")
    try:
        for step in range(version + 1, target + 1):
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
            connection.execute("INSERT INTO store_schema VALUES (?, now())", [step])
        connection.execute("COMMIT")
    except duckdb.Error:
        connection.execute("ROLLBACK")
        raise
    return version

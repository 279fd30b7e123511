"""The files of a run folder and of a model folder: every name defined once, here.

The pipeline, the batch engine and the report all read these names, so a file is renamed in
one place. This module is at the bottom of the package: it imports nothing from oneclick.

A run folder (``oneclick run``, ``oneclick validate``, a batch run of ``score``/``offers``):

=========================  ===========================================================
``quality.json``           the data-quality summary (``oneclick validate --json``)
``quarantine.csv``         every rejected row: file, line, column, value, reason
``excluded.csv``           every customer left out, with the reason
``customer_features.parquet``  one row per customer (a batch run: a stated sample)
``sample_scores.parquet``  a batch run: the sample's scores, with every feature's contribution
``model/``                 the model folder (see below)
``scores.csv``             decline probability and drivers (a batch run: ``scores/``)
``offers.csv``             each customer's best offer (a batch run: ``offers/``)
``segments.csv`` ...       segment profiles, drivers, the profit curve, the offers summary
``run.json``               settings, input checksums, library versions, seed
``changes.json``           ``oneclick run``: the comparison with the last period, when there was one
=========================  ===========================================================
"""

from __future__ import annotations

# What the checks found (both engines write these, identically).
QUALITY_FILE = "quality.json"
QUARANTINE_FILE = "quarantine.csv"
EXCLUDED_FILE = "excluded.csv"

# The run as a whole.
RUN_FILE = "run.json"
FEATURES_FILE = "customer_features.parquet"
SCORES_FILE = "scores.csv"
SAMPLE_SCORES_FILE = "sample_scores.parquet"
REPORT_FILES = {"ru": "report.html", "en": "report.en.html"}
# The run against the last period (`oneclick compare`'s result and its id in the store).
CHANGES_FILE = "changes.json"
# The store's current offer catalogue, as the run used it (when the store has versions of its own).
CATALOGUE_FILE = "catalogue.yaml"

# Segments, offers and the campaign.
OFFERS_FILE = "offers.csv"
SEGMENTS_FILE = "segments.csv"
SEGMENT_FEATURES_FILE = "segment_features.csv"
SEGMENT_DRIVERS_FILE = "segment_drivers.csv"
PROFIT_CURVE_FILE = "profit_curve.csv"
OFFERS_SUMMARY_FILE = "offers_summary.json"
# The evaluation of a campaign (``oneclick campaign evaluate --out``; ``oneclick run --store`` copies the
# store's evaluation made on the same data, so the next period's report shows the last campaign's results).
CAMPAIGN_RESULTS_FILE = "campaign_results.json"

# The model folder (``oneclick train --out``, or ``model/`` inside a run).
MODEL_DIR = "model"
MODEL_FILE = "model.skops"
BACKGROUND_FILE = "background.parquet"
METRICS_FILE = "metrics.json"
HOLDOUT_FILE = "holdout_predictions.csv"
# ``oneclick retrain``: the challenger's model folder also holds its comparison with the champion.
COMPARISON_FILE = "comparison.json"

# A batch run's partitioned outputs and its record.
BATCH_FILE = "batch.json"
SCORES_DIR = "scores"
OFFERS_DIR = "offers"
CAMPAIGN_DIR = "campaign"
# A batch run is written here first and moved into OUT when it succeeds; its intermediate
# files go to WORK_DIR inside it and are removed.
STAGING_DIR = ".incoming"
WORK_DIR = "_work"
CUSTOMERS_DIR = f"{WORK_DIR}/customers"
CANDIDATES_DIR = f"{WORK_DIR}/candidates"

# A campaign plan's CRM exports (``oneclick campaign plan --out``).
CAMPAIGN_TREATED_FILE = "treated.csv"
CAMPAIGN_CONTROL_FILE = "control.csv"
CAMPAIGN_EXCLUSIONS_FILE = "exclusions.csv"

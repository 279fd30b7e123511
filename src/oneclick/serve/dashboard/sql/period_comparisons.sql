-- The store's period comparisons, newest first, with the figures the list shows (from each kept result).
SELECT
    comparison_id,
    created_at,
    old_source,
    new_source,
    verdict,
    CAST(json_extract(result, '$.dataset_drift.dataset_drift') AS BOOLEAN) AS dataset_drift,
    CAST(json_extract(result, '$.dataset_drift.n_drifted') AS INTEGER) AS n_drifted,
    CAST(json_extract(result, '$.dataset_drift.n_features') AS INTEGER) AS n_features,
    CAST(json_extract(result, '$.decay.estimated') AS BOOLEAN) AS estimated,
    CAST(json_extract(result, '$.decay.realised.roc_auc.value') AS DOUBLE) AS realised_auc,
    CAST(json_extract(result, '$.decay.realised.roc_auc.ci[0]') AS DOUBLE) AS realised_auc_low,
    CAST(json_extract(result, '$.decay.realised.roc_auc.ci[1]') AS DOUBLE) AS realised_auc_high,
    CAST(json_extract(result, '$.decay.estimate.roc_auc.value') AS DOUBLE) AS estimated_auc,
    CAST(json_extract(result, '$.decay.estimate.roc_auc.ci[0]') AS DOUBLE) AS estimated_auc_low,
    CAST(json_extract(result, '$.decay.estimate.roc_auc.ci[1]') AS DOUBLE) AS estimated_auc_high
FROM period_comparisons
ORDER BY created_at DESC, comparison_id DESC

-- A batch run without a budget planned no campaign: no customer is in it.
(SELECT NULL::BIGINT AS customer_id, NULL::VARCHAR AS campaign_offer, NULL::DOUBLE AS campaign_cost,
    NULL::DOUBLE AS campaign_expected_saved_profit WHERE FALSE)

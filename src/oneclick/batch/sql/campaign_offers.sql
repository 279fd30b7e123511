-- The campaign's customers per offer, by offer id (as CampaignPlan.as_dict counts them).
SELECT campaign_offer, count(*) AS n
FROM report_campaign
GROUP BY campaign_offer
ORDER BY campaign_offer

"""What the synthetic customers look like: constants measured on the store's real export.

Every number here was read off the real data (1,300 customers, ``../shared/data/one_click``,
the 3 inactive customers and the revenue outlier left out) with pandas: marginal
distributions as quantile knots or value counts, and the coefficients of a logistic
regression of the label on standard-scaled features. Apart from the first customer id,
nothing else in ``synth`` holds a number taken from the data.
"""

from __future__ import annotations

from types import MappingProxyType

# Share of customers per favourite category (English value -> count in the real export).
CATEGORY_COUNTS = MappingProxyType(
    {
        "kids_goods": 330,
        "home_textiles": 251,
        "cosmetics_accessories": 223,
        "beauty_health_tech": 184,
        "small_appliances_electronics": 174,
        "kitchenware": 138,
    }
)

# Mean engagement per favourite category, in sd of the trait: buyers of small appliances
# browse more and leave fewer unpaid items, buyers of kitchenware and cosmetics less (real
# per-category means of pages, minutes, contacts and unpaid items).
CATEGORY_ENGAGEMENT = MappingProxyType(
    {
        "kids_goods": -0.05,
        "home_textiles": 0.10,
        "cosmetics_accessories": -0.30,
        "beauty_health_tech": 0.20,
        "small_appliances_electronics": 0.45,
        "kitchenware": -0.45,
    }
)

# Premium is bought by older customers (corr 0.31 with days since registration) and by
# slightly less engaged ones (premium customers decline more often: 45 % against 35 %);
# premium customers refuse messages less often. Logits per sd of duration / engagement.
DURATION_MEAN_SD = (603.0, 249.2)
PREMIUM_LOGIT = (-1.0, 0.75, -0.3)  # intercept, duration, engagement -> 29 % premium
NO_MESSAGES_LOGIT = (-0.95, -0.9, -0.35)  # intercept, premium, duration -> 26 % "нет"

# Discrete features: value -> count in the real export.
DISCRETE_COUNTS = MappingProxyType(
    {
        "marketing_contacts_current_month": {3: 308, 4: 668, 5: 320},
        "categories_viewed_per_visit": {1: 106, 2: 312, 3: 354, 4: 262, 5: 177, 6: 85},
        "unpaid_items_quarter": {
            0: 116, 1: 261, 2: 258, 3: 217, 4: 197, 5: 135, 6: 44, 7: 34, 8: 20, 9: 10, 10: 4,
        },
        "n_service_errors": {
            0: 17, 1: 73, 2: 189, 3: 226, 4: 255, 5: 208, 6: 156, 7: 92, 8: 66, 9: 14,
        },
        "pages_per_visit": {
            1: 20, 2: 57, 3: 76, 4: 112, 5: 113, 6: 127, 7: 101, 8: 109, 9: 108, 10: 104,
            11: 92, 12: 73, 13: 61, 14: 53, 15: 36, 16: 21, 17: 19, 18: 7, 19: 5, 20: 2,
        },
    }
)  # fmt: skip

# Continuous features: (cumulative share, value) knots of the real quantile function;
# values between knots are interpolated linearly, then rounded as the export rounds them.
QUANTILE_KNOTS = MappingProxyType(
    {
        "marketing_contacts_6m_avg": (
            (0.001, 0.9), (0.01, 1.4), (0.05, 2.4), (0.1, 3.1), (0.25, 3.7), (0.5, 4.2),
            (0.75, 4.9), (0.9, 5.5), (0.95, 5.8), (0.99, 6.3), (0.999, 6.6),
        ),
        "days_since_registration": (
            (0.001, 110), (0.01, 136), (0.05, 186), (0.1, 250), (0.25, 410), (0.5, 606),
            (0.75, 806), (0.9, 942), (0.95, 997), (0.99, 1051), (0.999, 1079),
        ),
        # Bimodal: most customers buy 11-40 % on promotion, one in eight almost only then.
        "promo_purchase_share": (
            (0.001, 0.11), (0.05, 0.13), (0.1, 0.14), (0.2, 0.16), (0.3, 0.18), (0.4, 0.22),
            (0.5, 0.24), (0.6, 0.27), (0.75, 0.30), (0.8, 0.34), (0.85, 0.40), (0.865, 0.44),
            (0.875, 0.89), (0.9, 0.93), (0.95, 0.95), (0.999, 0.99),
        ),
        "minutes_previous_month": (
            (0.001, 4.6), (0.01, 6.0), (0.05, 7.0), (0.1, 8.0), (0.25, 10.6), (0.5, 13.0),
            (0.75, 16.6), (0.9, 19.0), (0.95, 20.0), (0.99, 22.0), (0.999, 23.4),
        ),
        "minutes_current_month": (
            (0.001, 3.6), (0.01, 5.0), (0.05, 7.0), (0.1, 8.0), (0.25, 10.0), (0.5, 13.0),
            (0.75, 16.0), (0.9, 19.0), (0.95, 20.3), (0.99, 22.0), (0.999, 23.4),
        ),
        "revenue_month_before_previous": (
            (0.001, 4100), (0.01, 4168), (0.05, 4341), (0.1, 4428), (0.25, 4585), (0.5, 4811),
            (0.75, 5056), (0.9, 5307), (0.95, 5442), (0.99, 5609), (0.999, 5660),
        ),
        "revenue_previous_month": (
            (0.001, 2920), (0.01, 3155), (0.05, 3639), (0.1, 4002), (0.25, 4498), (0.5, 5006),
            (0.75, 5406), (0.9, 5822), (0.95, 6037), (0.99, 6380), (0.999, 6800),
        ),
        "revenue_current_month": (
            (0.001, 2990), (0.01, 3328), (0.05, 3888), (0.1, 4223), (0.25, 4706), (0.5, 5180),
            (0.75, 5759), (0.9, 6366), (0.95, 6718), (0.99, 7310), (0.999, 7700),
        ),
        "profit": (
            (0.001, 0.86), (0.01, 1.63), (0.05, 2.33), (0.1, 2.68), (0.25, 3.30), (0.5, 4.04),
            (0.75, 4.67), (0.9, 5.25), (0.95, 5.58), (0.99, 6.40), (0.999, 7.43),
        ),
    }
)  # fmt: skip

# Loadings on two hidden traits, standard normal per customer, of each feature's normal
# score: engagement (browses long, buys at full price, contacted often) and spend (revenue
# level). They reproduce the real correlations among features (pages and minutes 0.43,
# pages and promo share -0.30, revenue two months ago and last month 0.44, ...). Revenue
# of the last two months leans slightly against engagement because in the real data
# declined customers spent a little more then.
ENGAGEMENT_LOADINGS = MappingProxyType(
    {
        "pages_per_visit": 0.70,
        "minutes_previous_month": 0.62,
        "minutes_current_month": 0.55,
        "marketing_contacts_6m_avg": 0.50,
        "categories_viewed_per_visit": 0.48,
        "promo_purchase_share": -0.50,
        "unpaid_items_quarter": -0.48,
        "revenue_month_before_previous": 0.50,
        "revenue_previous_month": -0.10,
        "revenue_current_month": -0.20,
        "n_service_errors": 0.12,
    }
)
SPEND_LOADINGS = MappingProxyType(
    {
        "revenue_month_before_previous": 0.45,
        "revenue_previous_month": 0.80,
        "revenue_current_month": 0.45,
    }
)

# The label. Coefficients of LogisticRegression (C=1) on the real data, per standard
# deviation of each feature (mean, sd, coefficient); the small ones, |coefficient| <= 0.11
# (contacts this month, service errors, profit, service type, consent), are left out.
# A declined customer browses fewer pages, spends fewer minutes, is contacted less, buys
# more on promotion, leaves more unpaid items and views fewer categories; with the other
# features fixed, less revenue this month than last month also points to a decline.
DECLINE_COEFFICIENTS = MappingProxyType(
    {
        "pages_per_visit": (8.19, 3.98, -0.70),
        "minutes_previous_month": (13.47, 3.94, -0.69),
        "minutes_current_month": (13.21, 4.22, -0.50),
        "categories_viewed_per_visit": (3.27, 1.36, -0.68),
        "promo_purchase_share": (0.32, 0.25, 0.64),
        "unpaid_items_quarter": (2.84, 1.97, 0.45),
        "marketing_contacts_6m_avg": (4.26, 1.01, -0.42),
        "revenue_month_before_previous": (4836.0, 333.5, -0.32),
        "revenue_previous_month": (4947.0, 700.8, 0.33),
        "revenue_current_month": (5238.0, 834.3, -0.32),
        "days_since_registration": (*DURATION_MEAN_SD, 0.09),
    }
)
# Category effects on the same logit, relative to home textiles (real LR, one-hot).
DECLINE_CATEGORY_EFFECTS = MappingProxyType(
    {
        "home_textiles": 0.0,
        "kids_goods": -0.17,
        "cosmetics_accessories": -0.23,
        "kitchenware": -0.38,
        "beauty_health_tech": -0.67,
        "small_appliances_electronics": -1.06,
    }
)
# Intercept and a common scale of the coefficients, tuned on synthetic data: 38 % declined,
# and a plain LogisticRegression reaches holdout ROC-AUC 0.885-0.91 (n=4,000, 10 seeds;
# the real data gives 0.89-0.92). A fit on synthetic data recovers 0.9 x the coefficients.
DECLINE_INTERCEPT = -0.6
DECLINE_SCALE = 0.9

# Precision of the export: values are rounded to this step (None: whole numbers). Revenue
# two months ago is in whole roubles, last month in halves, this month in tenths.
ROUNDING_STEP = MappingProxyType(
    {
        "marketing_contacts_6m_avg": 0.1,
        "days_since_registration": None,
        "promo_purchase_share": 0.01,
        "minutes_previous_month": None,
        "minutes_current_month": None,
        "revenue_month_before_previous": 1.0,
        "revenue_previous_month": 0.5,
        "revenue_current_month": 0.1,
        "profit": 0.01,
    }
)

# Row order of a customer's periods in the exports (English period names, count).
REVENUE_PERIOD_ORDERS = (
    (("month_before_previous", "previous_month", "current_month"), 298),
    (("previous_month", "current_month", "month_before_previous"), 288),
    (("current_month", "month_before_previous", "previous_month"), 314),
    (("previous_month", "month_before_previous", "current_month"), 145),
    (("current_month", "previous_month", "month_before_previous"), 132),
    (("month_before_previous", "current_month", "previous_month"), 123),
)
MINUTES_PERIOD_ORDERS = (
    (("current_month", "previous_month"), 677),
    (("previous_month", "current_month"), 623),
)

# Defects of the real exports, reproduced when quirks are on.
STANDARD_TYPO_SHARE = 10 / 924  # "стандартт" among the "стандарт" rows
INACTIVE_SHARE = 3 / 1300  # customers with zero revenue in the two earlier months
OUTLIER_FACTOR_RANGE = (18.0, 22.0)  # 106,862.2 against a typical 5,300

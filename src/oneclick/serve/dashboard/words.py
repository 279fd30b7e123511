"""The dashboard's words in Russian and English: one table keyed by message id, filled at the edge.

Used as the report's sections use theirs: ``t(key, lang, WORDS, **values)`` of
:mod:`oneclick.report.i18n`, which also writes the numbers (decimal comma and narrow spaces in
Russian). Features, groups, segments and offers are named by the library (``i18n.feature``,
``i18n.group``, the titles of the run's rules), never here.
"""

from __future__ import annotations

from oneclick.report.i18n import Lang, t

WORDS: dict[str, dict[str, str]] = {
    # the frame of every page
    "app": {"ru": "«В один клик»: удержание покупателей", "en": "«One Click»: keeping customers"},
    "nav_overview": {"ru": "Обзор", "en": "Overview"},
    "nav_campaign": {"ru": "Кампания", "en": "Campaign"},
    "nav_runs": {"ru": "Запуски", "en": "Runs"},
    "nav_campaigns": {"ru": "Итоги кампаний", "en": "Campaign results"},
    "search_label": {"ru": "Покупатель по id", "en": "Customer by id"},
    "search_button": {"ru": "Найти", "en": "Find"},
    "logout": {"ru": "Выйти", "en": "Log out"},
    "other_lang": {"ru": "English", "en": "Русский"},
    "served": {"ru": "Запуск {run} · модель {model}", "en": "Run {run} · model {model}"},
    "no_run": {
        "ru": "В хранилище ещё нет запуска с предложениями: его создаст `oneclick run`.",
        "en": "The store has no run with offers yet: `oneclick run` makes one.",
    },
    "not_found": {"ru": "Не найдено", "en": "Not found"},
    "page_missing": {"ru": "Такой страницы нет.", "en": "There is no such page."},
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    "dash": {"ru": "—", "en": "—"},
    "prev": {"ru": "← назад", "en": "← previous"},
    "next": {"ru": "вперёд →", "en": "next →"},
    "page_of": {"ru": "Страница {page} из {pages}", "en": "Page {page} of {pages}"},
    # login
    "login_title": {"ru": "Вход", "en": "Sign in"},
    "login_lead": {
        "ru": "Введите один из ключей API сервиса (их выдаёт администратор).",
        "en": "Enter one of the service's API keys (the administrator hands them out).",
    },
    "login_key": {"ru": "Ключ API", "en": "API key"},
    "login_button": {"ru": "Войти", "en": "Sign in"},
    "login_wrong": {"ru": "Этот ключ не подходит.", "en": "That is not one of the service's keys."},
    "login_expired": {
        "ru": "Форма устарела: откройте страницу входа ещё раз.",
        "en": "The form has expired: open the sign-in page again.",
    },
    # overview
    "overview_title": {"ru": "Обзор последнего запуска", "en": "The latest run at a glance"},
    "kpi_customers": {"ru": "Покупателей", "en": "Customers"},
    "kpi_profit_at_risk": {"ru": "Прибыль под угрозой", "en": "Profit at risk"},
    "kpi_high_risk": {"ru": "С высоким риском", "en": "At high risk"},
    "kpi_saved_all": {
        "ru": "Ожидаемая сохранённая прибыль, все предложения",
        "en": "Expected saved profit, every offer",
    },
    "at_risk_note": {
        "ru": "Прибыль под угрозой — вероятность снижения × прибыль ({unit}); высокий риск — от {risk}. "
        "Ожидаемая сохранённая прибыль — за {months} мес., за вычетом затрат на предложение.",
        "en": "Profit at risk is decline probability × profit ({unit}); high risk: {risk} or more. "
        "Expected saved profit covers {months} months, net of the offer's cost.",
    },
    "map_reading": {
        "ru": "Каждая точка — покупатель, цвет — его основной сегмент; линии — пороги риска ({risk}) и прибыли "
        "({profit}).",
        "en": "Each dot is a customer, coloured by their primary segment; the lines are the risk ({risk}) and "
        "profit ({profit}) thresholds.",
    },
    "segments_title": {"ru": "Сегменты по прибыли под угрозой", "en": "Segments by profit at risk"},
    "segments_note": {
        "ru": "Сегменты пересекаются: покупатель может входить в несколько, поэтому суммы больше итога.",
        "en": "Segments overlap: a customer may be in several, so the columns add up to more than the total.",
    },
    "kind_named": {"ru": "сегмент магазина", "en": "store segment"},
    "kind_cell": {"ru": "клетка риск × прибыль", "en": "risk × profit cell"},
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_kind": {"ru": "Вид", "en": "Kind"},
    "col_customers": {"ru": "Покупателей", "en": "Customers"},
    "col_share": {"ru": "Доля", "en": "Share"},
    "col_mean_risk": {"ru": "Средний риск", "en": "Mean risk"},
    "col_profit_at_risk": {"ru": "Прибыль под угрозой", "en": "Profit at risk"},
    "col_profit_at_risk_unit": {"ru": "Прибыль под угрозой, {unit}", "en": "Profit at risk, {unit}"},
    "col_saved_unit": {"ru": "Ожидаемая сохранённая прибыль, {unit}", "en": "Expected saved profit, {unit}"},
    "col_saved": {"ru": "Ожидаемая сохранённая прибыль", "en": "Expected saved profit"},
    "col_top_offer": {"ru": "Частое предложение", "en": "Most frequent offer"},
    # segment card
    "segment_kicker": {"ru": "Сегмент", "en": "Segment"},
    "segment_missing": {
        "ru": "Сегмента «{name}» нет в последнем запуске.",
        "en": "The latest run has no segment «{name}».",
    },
    "rule": {"ru": "Правило", "en": "Rule"},
    "segment_vs_rest": {"ru": "{segment} в сегменте / {rest} у остальных", "en": "{segment} in it / {rest} the rest"},
    "kpi_declined": {"ru": "Снизили активность", "en": "Declined"},
    "kpi_mean_risk": {"ru": "Средний риск", "en": "Mean risk"},
    "kpi_mean_profit": {"ru": "Средняя прибыль", "en": "Mean profit"},
    "kpi_saved": {"ru": "Ожидаемая сохранённая прибыль", "en": "Expected saved profit"},
    "kpi_in_campaign": {"ru": "В кампании запуска", "en": "In the run's campaign"},
    "in_campaign_value": {"ru": "{n} покупателей, {saved}", "en": "{n} customers, {saved}"},
    "share_of_all": {"ru": "{share} всех", "en": "{share} of all"},
    "profile_title": {"ru": "Профиль сегмента против остальных", "en": "The segment against the rest"},
    "profile_note": {
        "ru": "Для числовых признаков — средние и d Коэна (разница средних в стандартных отклонениях); для "
        "категорий — доли и их разница. Сверху — самые большие различия.",
        "en": "Numeric features: means and Cohen's d (the difference of means in standard deviations); "
        "categories: shares and their difference. The largest differences first.",
    },
    "col_feature": {"ru": "Признак", "en": "Feature"},
    "col_group": {"ru": "Группа", "en": "Group"},
    "col_in_segment": {"ru": "В сегменте", "en": "In the segment"},
    "col_rest": {"ru": "У остальных", "en": "The rest"},
    "col_effect": {"ru": "Различие", "en": "Difference"},
    "measure_cohen_d": {"ru": "d = {value}", "en": "d = {value}"},
    "measure_share_difference": {"ru": "{value} п. п.", "en": "{value} pp"},
    "drivers_title": {"ru": "Что определяет риск в сегменте", "en": "What drives the segment's risk"},
    "drivers_note": {
        "ru": "Средний вклад признака в логарифм шансов снижения у покупателей сегмента и у остальных "
        "(больше нуля — повышает риск).",
        "en": "A feature's mean contribution to the log-odds of a decline in the segment and in the rest "
        "(above zero raises the risk).",
    },
    "col_contribution": {"ru": "Вклад в сегменте", "en": "Contribution in the segment"},
    "col_contribution_rest": {"ru": "У остальных", "en": "In the rest"},
    "groups_title": {"ru": "По группам признаков", "en": "By feature group"},
    "offers_title": {"ru": "Предложения сегмента", "en": "The segment's offers"},
    "col_offer": {"ru": "Предложение", "en": "Offer"},
    "customers_title": {"ru": "Покупатели сегмента", "en": "The segment's customers"},
    "customers_note": {"ru": "По убыванию прибыли под угрозой.", "en": "By profit at risk, largest first."},
    "col_customer": {"ru": "Покупатель", "en": "Customer"},
    "col_probability": {"ru": "Вероятность снижения", "en": "Decline probability"},
    "col_profit": {"ru": "Прибыль", "en": "Profit"},
    "col_in_campaign": {"ru": "В кампании", "en": "In campaign"},
    # customer card
    "customer_kicker": {"ru": "Покупатель", "en": "Customer"},
    "customer_title": {"ru": "Покупатель {id}", "en": "Customer {id}"},
    "customer_missing": {
        "ru": "Покупателя {id} нет в последнем запуске.",
        "en": "Customer {id} is not in the latest run.",
    },
    "bad_id": {
        "ru": "Номер покупателя — целое число, например 215348.",
        "en": "A customer id is a whole number, e.g. 215348.",
    },
    "probability": {"ru": "Вероятность снижения активности", "en": "Probability of a decline"},
    "risk_high": {"ru": "высокий риск", "en": "high risk"},
    "risk_low": {"ru": "низкий риск", "en": "low risk"},
    "primary_segment": {"ru": "Основной сегмент", "en": "Primary segment"},
    "all_segments": {"ru": "Все сегменты", "en": "Every segment"},
    "cell": {"ru": "Клетка риск × прибыль", "en": "Risk × profit cell"},
    "profit_month": {"ru": "Прибыль в месяц", "en": "Monthly profit"},
    "offer": {"ru": "Предложение", "en": "Offer"},
    "reason": {"ru": "Почему", "en": "Why"},
    "top_drivers": {"ru": "Главные причины риска", "en": "The risk's top drivers"},
    "texts_rescored": {
        "ru": "Запуск записал тексты на другом языке; здесь они написаны заново той же моделью.",
        "en": "The run wrote its texts in another language; here the same model writes them again.",
    },
    "by_group_title": {"ru": "Вклад групп признаков", "en": "Contribution by feature group"},
    "features_title": {"ru": "Признаки покупателя и их вклад", "en": "The customer's features and their contributions"},
    "col_value": {"ru": "Значение", "en": "Value"},
    "col_contribution_customer": {"ru": "Вклад в риск", "en": "Contribution to risk"},
    "whatif_title": {"ru": "Что, если…", "en": "What if…"},
    "whatif_lead": {
        "ru": "Измените то, на что магазин может повлиять, и посмотрите новый риск и предложение. Считает сервер "
        "той же моделью и по тем же правилам, что и запуск.",
        "en": "Change what the store can act on and see the new risk and offer. The server computes them with "
        "the run's model and rules.",
    },
    "whatif_button": {"ru": "Пересчитать", "en": "Recompute"},
    "whatif_now": {"ru": "Сейчас", "en": "Now"},
    "whatif_current": {"ru": "сейчас {value}", "en": "now {value}"},
    "whatif_after": {"ru": "После изменений", "en": "After the changes"},
    "whatif_change": {"ru": "Изменение вероятности", "en": "Change in probability"},
    "whatif_invalid": {"ru": "Не пересчитано: {problems}", "en": "Not recomputed: {problems}"},
    "whatif_bound": {"ru": "«{feature}» — от {low} до {high}", "en": "«{feature}»: from {low} to {high}"},
    "whatif_busy": {"ru": "считаю…", "en": "computing…"},
    "whatif_failed": {"ru": "Не удалось пересчитать.", "en": "Could not recompute."},
    # campaign builder
    "campaign_title": {"ru": "Конструктор кампании", "en": "Campaign builder"},
    "campaign_lead": {
        "ru": "Бюджет → лучший план: кому и что предложить, чтобы сохранить больше всего прибыли за {months} мес. "
        "План точный (целочисленная оптимизация), суммы — в {unit}.",
        "en": "A budget → the best plan: whom to offer what to keep the most profit over {months} months. "
        "The plan is exact (integer optimisation); amounts in {unit}.",
    },
    "budget": {"ru": "Бюджет", "en": "Budget"},
    "budget_hint": {
        "ru": "от 0 до {max}: при {max} бюджет уже не ограничивает",
        "en": "from 0 to {max}: at {max} the budget no longer binds",
    },
    "budget_apply": {"ru": "Построить план", "en": "Build the plan"},
    "plan_spent": {"ru": "Затраты", "en": "Spent"},
    "plan_saved": {"ru": "Ожидаемая сохранённая прибыль", "en": "Expected saved profit"},
    "plan_customers": {"ru": "Покупателей в кампании", "en": "Customers in the campaign"},
    "plan_status": {"ru": "План", "en": "Plan"},
    "status_optimal": {"ru": "оптимальный", "en": "optimal"},
    "status_not_binding": {"ru": "оптимальный, бюджет не ограничивает", "en": "optimal, the budget does not bind"},
    "status_bound": {"ru": "не хуже {share} от лучшего возможного", "en": "within {share} of the best possible"},
    "curve_title": {
        "ru": "Кривая прибыли: сохранённая прибыль от бюджета",
        "en": "Profit curve: saved profit by budget",
    },
    "curve_reading": {
        "ru": "Точки — планы запуска при разных бюджетах; кружок — выбранный бюджет.",
        "en": "The dots are the run's plans at several budgets; the ring is the budget chosen.",
    },
    "curve_budget": {"ru": "Бюджет, {unit}", "en": "Budget, {unit}"},
    "curve_saved": {"ru": "Сохранённая прибыль, {unit}", "en": "Saved profit, {unit}"},
    "by_segment_title": {"ru": "План по сегментам", "en": "The plan by segment"},
    "by_segment_note": {"ru": "По основному сегменту покупателя.", "en": "By each customer's primary segment."},
    "by_offer_title": {"ru": "План по предложениям", "en": "The plan by offer"},
    "col_cost": {"ru": "Затраты", "en": "Cost"},
    "csv_download": {"ru": "Скачать план для CRM (CSV)", "en": "Download the plan for the CRM (CSV)"},
    "no_curve": {"ru": "Запуск не сохранил кривую прибыли.", "en": "The run kept no profit curve."},
    # runs
    "runs_title": {"ru": "Запуски в хранилище", "en": "Runs in the store"},
    "runs_note": {
        "ru": "ROC-AUC на отложенной выборке и на перекрёстной проверке (среднее ± ст. откл.).",
        "en": "ROC-AUC on the holdout and in cross-validation (mean ± std).",
    },
    "col_run": {"ru": "Запуск", "en": "Run"},
    "col_created": {"ru": "Время", "en": "Time"},
    "col_model": {"ru": "Модель", "en": "Model"},
    "col_holdout_auc": {"ru": "ROC-AUC, отложенная", "en": "ROC-AUC, holdout"},
    "col_cv_auc": {"ru": "ROC-AUC, перекрёстная", "en": "ROC-AUC, CV"},
    "col_read": {"ru": "Прочитано покупателей", "en": "Customers read"},
    "col_kept": {"ru": "Оставлено", "en": "Kept"},
    "col_quarantined": {"ru": "Строк в карантине", "en": "Rows quarantined"},
    "col_report": {"ru": "Отчёт", "en": "Report"},
    "open_report": {"ru": "открыть", "en": "open"},
    "no_report": {"ru": "нет файла", "en": "no file"},
    "served_run": {"ru": "обслуживается", "en": "served"},
    "champion": {"ru": "чемпион", "en": "champion"},
    # campaigns and their results
    "campaigns_title": {"ru": "Кампании в хранилище", "en": "Campaigns in the store"},
    "campaigns_note": {
        "ru": "Кампании создаёт `oneclick campaign plan`, оценивает — `oneclick campaign evaluate` по следующей "
        "выгрузке. Контрольная группа не получает предложения.",
        "en": "`oneclick campaign plan` makes a campaign, `oneclick campaign evaluate` reads its outcome from the "
        "next export. The control group gets no offer.",
    },
    "no_campaigns": {
        "ru": "В хранилище ещё нет кампаний: их создаёт `oneclick campaign plan`.",
        "en": "The store has no campaign yet: `oneclick campaign plan` makes one.",
    },
    "campaign_missing": {
        "ru": "Кампании «{id}» в хранилище нет (или начало её id подходит к нескольким).",
        "en": "The store has no campaign «{id}» (or that start of an id fits several).",
    },
    "campaign_kicker": {"ru": "Кампания", "en": "Campaign"},
    "col_campaign": {"ru": "Кампания", "en": "Campaign"},
    "col_starts": {"ru": "Начало", "en": "Starts on"},
    "col_budget": {"ru": "Бюджет", "en": "Budget"},
    "col_seed": {"ru": "Зерно случайности", "en": "Random seed"},
    "col_catalogue": {"ru": "Версия каталога", "en": "Catalogue version"},
    "col_treatment": {"ru": "Воздействие", "en": "Treatment"},
    "col_control": {"ru": "Контроль", "en": "Control"},
    "col_evaluated": {"ru": "Оценка", "en": "Evaluated"},
    "evaluated_n": {"ru": "оценена ({n})", "en": "evaluated ({n})"},
    "not_evaluated": {"ru": "ещё не оценена", "en": "not yet"},
    "strata_title": {"ru": "Страты плана: сегмент × предложение", "en": "The plan's strata: segment × offer"},
    "col_base_rate": {"ru": "Доля снижения (база)", "en": "Base decline rate"},
    "col_assumed": {"ru": "Допущение эффекта", "en": "Assumed uplift"},
    "col_mde": {"ru": "Минимальный обнаружимый эффект", "en": "Minimum detectable uplift"},
    "col_power": {"ru": "Мощность", "en": "Power"},
    "col_warning": {"ru": "Предупреждение", "en": "Warning"},
    "stratum_too_small": {
        "ru": "страта мала: обнаружим эффект от {mde}, а допущение — {assumed}",
        "en": "too small: it detects an uplift of {mde} or more, the assumption is {assumed}",
    },
    "strata_note": {
        "ru": "Покупатели посчитаны по группам кампании; доля снижения, мощность и обнаружимый эффект — из плана.",
        "en": "Customers are counted from the campaign's arms; the base rate, power and detectable uplift are the "
        "plan's.",
    },
    "results_title": {"ru": "Итоги кампании", "en": "Campaign results"},
    "results_evaluated": {"ru": "Оценка от {when}.", "en": "Evaluated on {when}."},
    "not_evaluated_yet": {
        "ru": "Кампания ещё не оценена: `oneclick campaign evaluate {id} NEXT_EXPORT` прочтёт её исход из "
        "следующей выгрузки.",
        "en": "The campaign is not evaluated yet: `oneclick campaign evaluate {id} NEXT_EXPORT` reads its outcome "
        "from the next export.",
    },
}


def w(key: str, lang: Lang, **values: object) -> str:
    """The dashboard's string ``key`` in ``lang``, filled from ``values``."""
    return t(key, lang, WORDS, **values)

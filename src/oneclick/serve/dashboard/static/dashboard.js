// oneclick dashboard: the what-if and the budget slider ask the server and write its answers in.
// No library, no network beyond this site; every text is set with textContent (never HTML).
"use strict";
(function () {
  document.documentElement.classList.add("js");

  function setText(element, text) {
    if (element) element.textContent = text == null ? "" : String(text);
  }

  // Ask `url` for JSON; a newer call cancels an older one, so answers never arrive out of order.
  function latest() {
    let controller = null;
    return async function (url) {
      if (controller) controller.abort();
      controller = new AbortController();
      const response = await fetch(url, { signal: controller.signal, credentials: "same-origin", headers: { Accept: "application/json" } });
      const body = await response.json();
      return { ok: response.ok, body: body };
    };
  }

  function isAbort(error) {
    return error && error.name === "AbortError";
  }

  function whatIf(form) {
    const status = document.getElementById("what-if-status");
    const problem = document.getElementById("what-if-problem");
    const ask = latest();
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const query = new URLSearchParams(new FormData(form)).toString();
      setText(status, status.dataset.busy);
      try {
        const answer = await ask(form.dataset.endpoint + "?" + query);
        if (!answer.ok) {
          problem.hidden = false;
          setText(problem, answer.body.detail);
          setText(status, "");
          return;
        }
        problem.hidden = true;
        for (const side of ["now", "after"]) {
          document.querySelectorAll("[data-" + side + "]").forEach(function (cell) {
            setText(cell, answer.body[side][cell.dataset[side]]);
          });
        }
        const probability = document.getElementById("after-probability");
        probability.dataset.value = answer.body.after.decline_probability;
        setText(document.getElementById("after-change"), answer.body.change);
        setText(status, "");
        form.dataset.done = String(Number(form.dataset.done || 0) + 1);
      } catch (error) {
        if (!isAbort(error)) setText(status, status.dataset.failed);
      }
    });
  }

  function fillRows(tbody, rows) {
    tbody.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement("tr");
      ["title", "n_customers", "cost", "expected_saved_profit"].forEach(function (key, position) {
        const td = document.createElement("td");
        if (position > 0) td.className = "num";
        td.textContent = row[key];
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    }
  }

  function budget(form) {
    const slider = document.getElementById("budget");
    const output = document.getElementById("budget-value");
    const plan = document.getElementById("plan");
    const ask = latest();
    let timer = null;
    const lang = document.documentElement.lang;
    const format = new Intl.NumberFormat(lang === "ru" ? "ru-RU" : "en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

    async function update() {
      const value = slider.value;
      plan.dataset.pending = value;
      try {
        const answer = await ask(form.dataset.endpoint + "?" + new URLSearchParams({ budget: value }).toString());
        if (!answer.ok) return;
        const found = answer.body;
        setText(output, found.text.budget);
        for (const key of ["expected_saved_profit", "spent", "n_customers"]) {
          const cell = document.getElementById({ expected_saved_profit: "plan-saved", spent: "plan-spent", n_customers: "plan-customers" }[key]);
          setText(cell, found.text[key]);
          cell.dataset.value = found.plan[key];
        }
        setText(document.getElementById("plan-status"), found.text.status);
        fillRows(document.querySelector("#by-segment tbody"), found.by_segment);
        fillRows(document.querySelector("#by-offer tbody"), found.by_offer);
        const chosen = document.getElementById("chosen");
        if (chosen) {
          chosen.setAttribute("cx", found.point.cx);
          chosen.setAttribute("cy", found.point.cy);
        }
        document.getElementById("csv").setAttribute("href", found.csv);
        plan.dataset.budget = String(found.budget);
        if (plan.dataset.pending === value) delete plan.dataset.pending;
      } catch (error) {
        if (!isAbort(error)) throw error;
      }
    }

    slider.addEventListener("input", function () {
      setText(output, format.format(Number(slider.value)));
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("what-if");
    if (form) whatIf(form);
    const budgetForm = document.getElementById("budget-form");
    if (budgetForm) budget(budgetForm);
  });
})();

"""CSV files for spreadsheets: no text cell can run as a formula; numbers stay numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from oneclick.exports import write_csv


def test_formula_cells_are_written_as_text_and_numbers_are_not_touched(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "value": ['=HYPERLINK("http://x","y")', "+7", "-3", "@sum", "\tx", "plain", None],
            "offer": pd.Categorical(["=1", "a", "a", "a", "a", "a", "a"]),
            "amount": [-3.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "n": [-1, 2, 3, 4, 5, 6, 7],
        }
    )
    back = pd.read_csv(write_csv(frame, tmp_path / "out.csv"), keep_default_na=False)
    assert back["value"].tolist() == ['\'=HYPERLINK("http://x","y")', "'+7", "'-3", "'@sum", "'\tx", "plain", ""]
    assert back["offer"].tolist()[0] == "'=1"
    assert back["amount"].tolist()[0] == -3.5
    assert back["n"].tolist()[0] == -1
    assert frame["value"].iloc[0].startswith("=")  # the caller's frame is not changed


def test_a_text_index_is_made_safe_too(tmp_path: Path) -> None:
    frame = pd.DataFrame({"x": [1]}, index=pd.Index(["=cmd"], name="segment"))
    text = write_csv(frame, tmp_path / "out.csv", index=True).read_text(encoding="utf-8")
    assert text.splitlines()[1] == "'=cmd,1"

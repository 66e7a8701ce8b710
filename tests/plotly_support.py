"""Reading the charts a page sent: Plotly's JSON keeps numeric arrays as base64 typed arrays."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np


def values(data: object) -> list[object]:
    """A trace's values from a chart's JSON: a list, or Plotly's base64 typed array."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    assert isinstance(data, list)
    return data


def charts_titled(at: Any, words: str) -> list[dict[str, Any]]:
    """The specs of the charts a page sent whose title holds `words`, read across its lines (`wrapped_title`)."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [s for s in specs if words in s["layout"].get("title", {}).get("text", "").replace("<br>", " ")]

"""Reading the charts a page sent: Plotly's JSON keeps numeric arrays as base64 typed arrays."""

from __future__ import annotations

import base64

import numpy as np


def values(data: object) -> list[object]:
    """A trace's values from a chart's JSON: a list, or Plotly's base64 typed array."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    assert isinstance(data, list)
    return data

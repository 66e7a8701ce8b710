"""What the metrics can be grouped by and the windows they take by default: the words the command line and the
pages offer, kept apart from the queries so that offering them (a command's --help, its argument checks) imports
neither pandas nor the queries."""

from __future__ import annotations

# What `grouped.grouped_metrics` groups by.
DIMENSIONS = ("creator", "asin", "product_line", "campaign", "week", "program")
# What `commission_change.commission_change` explains a change by.
CHANGE_DIMENSIONS = ("program", "product_line", "creator", "campaign")
# What `rank_lift.rank_lift` compares organic rank at.
RANK_LEVELS = ("keyword", "asin", "product_line")
# The R of the repeat rates (days a buyer has to come back), as SPEC sets it.
DEFAULT_REPEAT_DAYS = 90
# The rank and sales lifts' windows before and after an activation, and the days skipped after it.
DEFAULT_WINDOW_DAYS = 28
DEFAULT_LAG_DAYS = 0

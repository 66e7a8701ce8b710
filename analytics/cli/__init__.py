"""The command line's parts, run by `analytics.__main__`: its arguments (`arguments`) and the commands that read a store
into tables or a weekly review (`reading`), imported only when one of them runs: they need pandas, Plotly and every
metric, which `load` and the other writing commands never do."""

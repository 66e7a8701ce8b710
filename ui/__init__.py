"""The only Streamlit-aware helpers: what the screens share."""

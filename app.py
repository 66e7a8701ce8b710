"""Creator Lift: the entry point asks for sign-in where configured, lists the screens, draws the shared sidebar."""

import streamlit as st

from pages.common import require_sign_in, sidebar_filters

st.set_page_config(page_title="Creator Lift", page_icon=":material/trending_up:", layout="wide")
require_sign_in()

navigation = st.navigation(
    {
        "Weekly review": [
            st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
            st.Page("pages/creators.py", title="Creators", icon=":material/groups:"),
            st.Page("pages/products.py", title="Products", icon=":material/inventory_2:"),
            st.Page("pages/customers.py", title="Customers", icon=":material/person_heart:"),
            st.Page("pages/organic_rank.py", title="Organic rank", icon=":material/search_insights:"),
        ],
        "Your data": [
            st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
        ],
    }
)
st.sidebar.title("Creator Lift")
sidebar_filters()
navigation.run()

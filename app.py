"""The Streamlit entry point: `streamlit run app.py`."""

import streamlit as st

st.set_page_config(page_title="wfm planner", layout="wide")

pages = [
    st.Page("dashboard/pages/data.py", title="Data", default=True),
]
st.navigation(pages).run()

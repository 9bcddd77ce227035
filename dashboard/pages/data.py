"""Data page: the contact history the plan starts from."""

from __future__ import annotations

import streamlit as st

from dashboard.figures import daily_contacts_figure, intraday_figure
from planning.sample import load_sample_history


@st.cache_data(show_spinner="Loading the sample history…")
def _sample_history():
    return load_sample_history()


st.title("Contact history")
history = _sample_history()
st.caption(
    "The bundled sample: a fictional e-commerce customer-service centre, "
    "15-minute intervals, four queues."
)
totals = history.groupby("queue")["contacts"].sum()
cols = st.columns(len(totals))
for col, (queue, total) in zip(cols, totals.items(), strict=True):
    col.metric(queue, f"{int(total):,}")
st.plotly_chart(daily_contacts_figure(history), width="stretch")
queue = st.selectbox("Queue", sorted(totals.index))
st.plotly_chart(intraday_figure(history, queue), width="stretch")

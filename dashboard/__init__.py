"""NewsLens dashboard: Streamlit layout, widgets and Plotly figures. Drawing only; no NLP."""

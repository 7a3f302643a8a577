"""The positions dashboard: Streamlit pages (`app.py`, `views/`, `ui.py`) over plain, tested queries (`queries.py`)."""

"""The positions dashboard: Streamlit pages (`app.py`) over plain, tested queries (`queries.py`)."""

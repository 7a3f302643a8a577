"""The dashboard's pages, one module each; `flows.dashboard.app` puts them in the navigation."""

"""mlp.lab: its settings, its runs, its server, its page in a browser and in Jupyter."""

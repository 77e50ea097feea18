"""The Gradio web UI. Imports rag only."""

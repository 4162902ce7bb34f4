"""`python -m wenforge.serve MODEL_DIR --port P`: the same as `wenforge serve`."""

import typer

from wenforge.serve.commands import serve

if __name__ == "__main__":
    typer.run(serve)

"""The live lab: watch a network learn in the browser, its graph, weights and gradients.

``python -m mlp.lab`` (or ``chainrule-lab``) serves the page on 127.0.0.1 and opens it. Pick a
data set, a network, a loss and an optimizer; press play, pause, step or reset. While the
network trains in Python (with fit's own step, compiled), the page shows the loss, the
decision boundary of 2-D data, and the network drawn as the notes draw it: each edge coloured
by its weight, each neuron by its activation and its gradient for one chosen sample. Click an
edge for ``explain()`` of that weight; at a pause, step through the sample's backward pass.

In Python::

    from mlp.lab import serve, Lab
    serve()            # blocks; Ctrl-C stops it
    Lab()              # in Jupyter: the lab inline, served from a background thread

Parts: ``config`` (what the page may send, checked), ``build`` (a run's data, network and
step), ``run`` (a run's thread), ``frame`` and ``views`` (what the page is sent), ``server``
(HTTP), ``page/`` (the page itself: HTML, one script, one style sheet; no build step).
"""

from __future__ import annotations

import threading
from typing import Any

from mlp.lab.config import LabInputError, RunConfig
from mlp.lab.server import LabServer

__all__ = ["Lab", "LabInputError", "LabServer", "RunConfig", "serve"]


def serve(host: str = "127.0.0.1", port: int = 0, *, open_browser: bool = True,
          quiet: bool = False) -> None:
    """Serve the lab until Ctrl-C; ``port=0`` takes a free port. Prints the address."""
    server = LabServer(host, port)
    if not quiet:
        print(f"chainrule lab: {server.url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        if not quiet:
            print("chainrule lab: stopped", flush=True)
    finally:
        server.server_close()


class Lab:
    """The lab inline in a Jupyter notebook: the page in an iframe, from a server that runs
    in a background thread of the kernel, on 127.0.0.1 (so for a notebook whose browser is on
    the same machine). ``Lab().url`` is its address; ``close()`` stops it.

    Why an iframe and not a widget: the page is already a complete client of the server (its
    one script draws every frame), so the iframe shows exactly the page ``python -m mlp.lab``
    shows, with no second transport and no new dependency (an anywidget needs anywidget and
    ipywidgets in the kernel, and Jupyter's comm messages for the frames)."""

    def __init__(self, port: int = 0, height: int = 860) -> None:
        self.server = LabServer("127.0.0.1", port)
        self.height = height
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={
            "poll_interval": 0.2}, name="chainrule-lab", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return self.server.url

    def _repr_html_(self) -> str:
        return (f'<iframe src="{self.url}" title="chainrule lab" width="100%" '
                f'height="{self.height}" style="border:1px solid #ccc"></iframe>')

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __repr__(self) -> str:
        return f"Lab({self.url!r})"

    def __enter__(self) -> Lab:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

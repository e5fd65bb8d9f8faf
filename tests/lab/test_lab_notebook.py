"""The lab inline in Jupyter, in a real kernel (nbclient + ipykernel): ``Lab()`` displays the
page in an iframe, served from the kernel, and that server trains a run while the kernel lives."""

from __future__ import annotations

import re
from typing import Any

import nbformat
from nbclient import NotebookClient

from .lab_client import Client


def test_the_lab_displays_inline_and_is_served_from_the_kernel() -> None:
    nb = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
    nb.cells = [nbformat.v4.new_code_cell(source)  # type: ignore[no-untyped-call]
                for source in ["from mlp.lab import Lab\nlab = Lab()\nlab", "lab.close()"]]
    client = NotebookClient(nb, kernel_name="python3", timeout=120)
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
        outputs: list[Any] = nb.cells[0].outputs
        html = next(o for o in outputs if o.output_type == "execute_result").data["text/html"]
        found = re.search(r'<iframe src="http://127\.0\.0\.1:(\d+)/"', html)
        assert found is not None, html
        lab = Client(int(found[1]))
        status, page = lab.request("GET", "/")
        assert status == 200 and b"chainrule lab" in page
        run, _ = lab.new_run({"hidden": [4]})
        assert lab.command(run, {"command": "step", "steps": 3}) == (200, {})
        assert lab.frame(run)["step"] == 3
        lab.close()
        client.execute_cell(nb.cells[1], 1)
        assert not [o for o in nb.cells[1].outputs if o.output_type == "error"]

"""Framework adapters, installed as ``lanas_sampler.integrations``.

Each submodule imports its framework; nothing here is imported by ``import lanas_sampler``.
"""

if __name__ != "lanas_sampler.integrations":  # pragma: no cover - packaging guard
    raise ImportError(
        "Import the adapters as lanas_sampler.integrations (pip install -e . from the repo), "
        f"not as {__name__!r}: two copies of a module would register Nevergrad names twice."
    )

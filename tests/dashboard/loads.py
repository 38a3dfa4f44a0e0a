"""Stand-ins for the models' load in the tests of the warm-up and the cache."""

from __future__ import annotations

from types import SimpleNamespace


class CountingLoad:
    """A load that counts its calls and, when ``gate`` is given, waits for it."""

    def __init__(self, result=None, *, error: Exception | None = None, gate=None) -> None:
        self.calls = 0
        self.result = result
        self.error = error
        self.gate = gate

    def __call__(self):
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(5)
        if self.error is not None:
            raise self.error
        return self.result


def stub_pipeline(name: str) -> SimpleNamespace:
    return SimpleNamespace(meta={"name": name})

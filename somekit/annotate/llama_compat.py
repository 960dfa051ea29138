"""A workaround for llama.cpp's AMX path, shared by the embedded backend and the test server.

On CPUs with AMX (Intel Sapphire Rapids and later, such as this project's CI machines) the
llama.cpp bundled with llama-cpp-python 0.3.36 repacks SmolLM2's Q4_1 weights into its AMX
buffer type and then crashes with SIGSEGV in the first decode (upstream: ggml-org/llama.cpp
issue 20824). llama-cpp-python's Llama() does not expose `use_extra_bufts`, so we switch it off
in the default model parameters it starts from. The cost elsewhere is only the AVX2 weight
repack, negligible for a 135M model.
"""

from __future__ import annotations

import runpy
import sys

_PATCHED = False


def disable_extra_buffer_types() -> None:
    global _PATCHED
    if _PATCHED:
        return
    import llama_cpp.llama_cpp as C

    original = C.llama_model_default_params

    def params():
        p = original()
        p.use_extra_bufts = False
        return p

    C.llama_model_default_params = params
    _PATCHED = True


def run_server(argv: list[str]) -> None:
    """`python -m llama_cpp.server ARGS`, with the workaround applied first."""
    disable_extra_buffer_types()
    sys.argv = ["llama_cpp.server", *argv]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    run_server(sys.argv[1:])

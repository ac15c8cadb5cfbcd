"""The method registry as Python data, and the generate() docstring written from it at import.

The engine's registry declares every method with its model_params (name, type, default, range,
aliases, one-line doc); the same declaration drives `calm methods`, the CLI help and docs/methods.md,
so the docstring can never disagree with what the engine accepts.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any, Dict, List

from . import _calm


def generate_options() -> List[Dict[str, Any]]:
    """generate()'s options as the engine declares them (GenerateOptions::declared_options): each a
    dict with ``name``, ``type``, ``default``, ``required``, ``doc``, ``python`` (the annotation of
    the Python keyword; empty when the option is not one), ``cli`` (the flag of ``calm generate``)
    and ``column`` (True when the value names a column)."""
    return json.loads(_calm.generate_options_json())


def python_options() -> List[Dict[str, Any]]:
    """The options that are keywords of RealGenerator.generate, in signature order."""
    return [o for o in generate_options() if o["python"]]


def methods() -> List[Dict[str, Any]]:
    """Every synthesis method the engine knows, in registry order.

    Each entry is a dict with ``name``, ``family``, ``summary``, ``reference``, ``available``
    (False: named by the seed, not built yet; using it raises NotImplementedError),
    ``needs_target`` and ``params``: a list of dicts with ``name``, ``type``, ``default``, ``doc``,
    ``aliases``, ``choices``, ``min``, ``max``, ``min_exclusive``, ``max_exclusive``,
    ``nullable``, ``accepts`` (what the value may be, as text) and ``alternatives`` (the forms a
    ``one_of`` parameter accepts).
    """
    return json.loads(_calm.methods_json())


def _default_text(value: Any) -> str:
    return "None" if value is None else repr(value)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(".") else text + "."


def _wrap(text: str, indent: int) -> str:
    return textwrap.fill(text, width=100, initial_indent=" " * indent,
                         subsequent_indent=" " * (indent + 4), break_on_hyphens=False)


def _param_line(p: Dict[str, Any]) -> str:
    text = f"{p['name']} ({p['accepts']}; default {_default_text(p['default'])})"
    if p["doc"]:
        text += f": {_sentence(p['doc'])}"
    if p["aliases"]:
        text += f" Aliases: {', '.join(p['aliases'])}."
    return _wrap(text, 12)


def methods_doc() -> str:
    lines = []
    for m in methods():
        status = "" if m["available"] else " [not available yet: raises NotImplementedError]"
        lines.append(_wrap(f"{m['name']} ({m['family']}){status}: {m['summary']}", 8))
        if m["reference"]:
            lines.append(_wrap(f"Reference: {m['reference']}", 12))
        lines.extend(_param_line(p) for p in m["params"])
    return "\n".join(lines)


GENERATE_DOC = """Learn `data` and return a synthetic DataFrame of `n_samples` rows.

The output has the input's columns, in the same order and with the same dtypes (category stays
category, Int64 stays Int64, time zones are kept), and a fresh RangeIndex. With `date_start`, the
date column is added first (or overwritten in place).

Args:
    data: a pandas DataFrame; also a 2-D numpy array (columns labelled 0..k-1 as in
        ``pd.DataFrame(array)``), a path to a CSV or .h5ad file, or an ``anndata.AnnData`` (one
        column per gene of ``X``, then the ``obs`` columns; the object is not modified;
        docs/single_cell.md). None samples from the fitted or loaded model.
{options}
    return_anndata: (keyword-only, calm extension) return an ``anndata.AnnData`` instead: ``X``
        (CSR) from the gene columns (the input AnnData's genes, else the numeric columns with no
        negative value), ``obs`` from the other columns. Needs the anndata package.

Returns:
    pandas.DataFrame (an anndata.AnnData with return_anndata=True)

Raises:
    TypeError: an unknown keyword, or a value of a type the engine cannot take.
    ValueError: a bad argument or unusable data (the message names it and the valid choices).
    NotImplementedError: a method the seed names that is not built yet (marked below).
    FileNotFoundError / OSError: a file or folder cannot be read or written.

Methods and their model_params:
{methods}
"""


def options_doc() -> str:
    """The Args lines of generate(), one per option, from the engine's declaration."""
    return "\n".join(_wrap(f"{o['name']}: {_sentence(o['doc'])}", 4) for o in python_options())


def generate_doc() -> str:
    return GENERATE_DOC.replace("{options}", options_doc()).replace("{methods}", methods_doc())

"""RealBlockGenerator: one model per value of a block column (store, country, patient ...).

``RealBlockGenerator().generate(data, block_column="StoreID", method="cart")`` fits one model per
block and concatenates the blocks in block order, keeping the block column. ``n_samples`` (default:
the number of real rows) is split across blocks in proportion to their real sizes, or
``n_samples_per_block={block: rows}`` gives the counts. Every other keyword is RealGenerator's.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

import pandas as pd

from .real_generator import RealGenerator, _as_frame


class RealBlockGenerator(RealGenerator):
    """Trains a separate model for each value of ``block_column`` (C++: calm::RealBlockGenerator)."""

    def generate(self, data: Any, block_column: str, n_samples: Optional[int] = None,
                 method: str = "cart", n_samples_per_block: Optional[Dict[Any, int]] = None,
                 skip_small_blocks: bool = False, **kwargs: Any) -> pd.DataFrame:
        frame = _as_frame(data)
        if block_column not in frame.columns:
            raise ValueError(f"block_column {block_column!r} is not a column; columns are: "
                             f"{', '.join(map(str, frame.columns))}")
        sizes = None
        if n_samples_per_block is not None:
            sizes = {str(k): int(v) for k, v in n_samples_per_block.items()}
            if n_samples is None:
                n_samples = sum(sizes.values())
        if n_samples is None:
            n_samples = len(frame)
        # RealGenerator.generate takes and checks the other keywords; _blocks routes the call to
        # the engine's RealBlockGenerator.
        self._blocks = json.dumps({"block_column": str(block_column), "block_sizes": sizes,
                                   "skip_small_blocks": bool(skip_small_blocks)})
        try:
            return super().generate(frame, n_samples=n_samples, method=method, **kwargs)
        finally:
            del self._blocks

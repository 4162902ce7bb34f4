"""Length penalties: DAPO's soft overlong punishment."""

from __future__ import annotations


def overlong_penalty(
    completion: str, max_length: int = 1024, buffer: int = 256, length: int | None = None
) -> float:
    """0 up to ``max_length - buffer``, then linear down to -1 at ``max_length``, -1 beyond.

    ``length`` is the completion's length in tokens when known (TRL passes ``completion_ids``);
    otherwise characters are counted.
    """
    if buffer < 0 or max_length <= 0 or buffer > max_length:
        raise ValueError(f"need 0 <= buffer <= max_length and max_length > 0, got {buffer=} {max_length=}")
    n = len(completion) if length is None else int(length)
    limit = max_length - buffer
    if n <= limit:
        return 0.0
    if n >= max_length or buffer == 0:
        return -1.0
    return -(n - limit) / buffer

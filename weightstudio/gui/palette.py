"""The studio's colours, shared by views (one per layer) and the runs panel (one per run)."""

# Tableau 10: distinct on white.
PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]


def palette_colour(index: int) -> tuple[int, int, int]:
    return PALETTE[index % len(PALETTE)]

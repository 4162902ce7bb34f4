"""Parts of bench/style_control_bench.py: does the forge control style (dose-response, style reward, rounds)."""

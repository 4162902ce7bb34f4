"""Parts of bench/style_control_bench.py that live outside the package: the style-reward experiment (the
dose-response and the rounds toward a voice are `wenforge.forge.dose` and `wenforge.forge.voice`)."""

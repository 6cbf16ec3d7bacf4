"""Reproducible CPU baselines on a release: trained on train, tuned on validation, scored on test.

Above ``release`` in the layers (they read a built release folder and its card); the CLI faces them
with ``secnews baseline``. Every baseline writes its predictions in the release's own shapes and is
scored by the official scorer (:mod:`secnews.quality.score`), so its figures are those a paper gets.
"""

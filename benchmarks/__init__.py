"""The build benchmark (``bench_build.py``) and its helpers."""
